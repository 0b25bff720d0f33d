"""What the service does, one module per group of use cases, each in one transaction:

- `ingestion`: the outside systems' feeds (registration, identity, hours, DTZ and LiD results,
  applications); `casework`: caseworkers on one case (view, reveal, paper DTZ, proof,
  repetition decisions); `issuing`: documents; `withdrawal`: four eyes on a Zertifikat;
  `claims` and `postbox`: the Postkorb; `reports`: statistics, audit, documents; `admin`.
- Shared: `services` (store, rules, settings, stored answers), `rules` (the domain with this
  service's thresholds), `facts` (rows to domain facts), `postbox_sync` (the Postkorb kept in
  step with a case), `views` (rows to the contract's models).
"""
