

CREATE FUNCTION public.inge_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION 'audit is append-only' USING ERRCODE = 'restrict_violation'; END $$;

CREATE TABLE public.alt_b1_proofs (
    proof_id integer NOT NULL,
    participant_id character varying(40) NOT NULL COLLATE pg_catalog."C",
    exam_name character varying(200) NOT NULL,
    level character varying(4) NOT NULL,
    issued_on date NOT NULL,
    presented_on date NOT NULL,
    is_current boolean DEFAULT true NOT NULL,
    recorded_by character varying(200) NOT NULL,
    recorded_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE public.alt_b1_proofs_proof_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.alt_b1_proofs_proof_id_seq OWNED BY public.alt_b1_proofs.proof_id;

CREATE TABLE public.audit (
    audit_id integer NOT NULL,
    at timestamp with time zone NOT NULL,
    office character varying(16) COLLATE pg_catalog."C",
    participant_id character varying(40) COLLATE pg_catalog."C",
    entry_id integer,
    actor_token integer,
    actor_name character varying(200) NOT NULL,
    actor_role character varying(20) NOT NULL,
    action character varying(40) NOT NULL,
    inputs text DEFAULT '{}'::text NOT NULL,
    outcome text DEFAULT '{}'::text NOT NULL,
    rules_version character varying(40)
);

CREATE SEQUENCE public.audit_audit_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.audit_audit_id_seq OWNED BY public.audit.audit_id;

CREATE TABLE public.certificates (
    certificate_id character varying(32) NOT NULL COLLATE pg_catalog."C",
    kind character varying(16) NOT NULL,
    participant_id character varying(40) NOT NULL COLLATE pg_catalog."C",
    office character varying(16) NOT NULL COLLATE pg_catalog."C",
    pair_key character varying(64) NOT NULL COLLATE pg_catalog."C",
    issued_on date NOT NULL,
    issued_at timestamp with time zone NOT NULL,
    issued_by character varying(200) NOT NULL,
    rules_version character varying(40) NOT NULL,
    inputs text NOT NULL,
    pdf bytea NOT NULL
);

CREATE TABLE public.counters (
    name character varying(32) NOT NULL COLLATE pg_catalog."C",
    value integer NOT NULL
);

CREATE TABLE public.dtz_results (
    dtz_id integer NOT NULL,
    participant_id character varying(40) NOT NULL COLLATE pg_catalog."C",
    exam_date date NOT NULL,
    revision integer DEFAULT 1 NOT NULL,
    is_current boolean DEFAULT true NOT NULL,
    funded boolean DEFAULT true NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    superseded_at timestamp with time zone,
    exam_center character varying(200) NOT NULL,
    source character varying(12) NOT NULL,
    hoeren_lesen double precision,
    schreiben double precision,
    sprechen double precision,
    complete boolean NOT NULL,
    overall character varying(10),
    hours_used_at_exam integer,
    within_repetition boolean DEFAULT false NOT NULL
);

CREATE SEQUENCE public.dtz_results_dtz_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.dtz_results_dtz_id_seq OWNED BY public.dtz_results.dtz_id;

CREATE TABLE public.idempotency_keys (
    token_id integer NOT NULL,
    key character varying(200) NOT NULL COLLATE pg_catalog."C",
    fingerprint character varying(64) NOT NULL,
    status character varying(12) NOT NULL,
    response_status integer NOT NULL,
    response_body text NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE public.identities (
    participant_id character varying(40) NOT NULL COLLATE pg_catalog."C",
    document_type character varying(20),
    document_number character varying(40),
    street character varying(200),
    postal_code character varying(10),
    city character varying(200),
    updated_at timestamp with time zone NOT NULL
);

CREATE TABLE public.lid_results (
    lid_id integer NOT NULL,
    participant_id character varying(40) NOT NULL COLLATE pg_catalog."C",
    exam_date date NOT NULL,
    revision integer DEFAULT 1 NOT NULL,
    is_current boolean DEFAULT true NOT NULL,
    funded boolean DEFAULT true NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    superseded_at timestamp with time zone,
    points integer NOT NULL,
    passed boolean NOT NULL
);

CREATE SEQUENCE public.lid_results_lid_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.lid_results_lid_id_seq OWNED BY public.lid_results.lid_id;

CREATE TABLE public.offices (
    code character varying(16) NOT NULL COLLATE pg_catalog."C",
    name character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE public.participants (
    participant_id character varying(40) NOT NULL COLLATE pg_catalog."C",
    office character varying(16) NOT NULL COLLATE pg_catalog."C",
    surname character varying(200) NOT NULL,
    given_name character varying(200) NOT NULL,
    birth_date date NOT NULL,
    course_type character varying(24) NOT NULL,
    contingent_hours integer NOT NULL,
    hours_used integer NOT NULL,
    self_payer boolean NOT NULL,
    entitlement_date date,
    registered_on date,
    course_start date,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

CREATE TABLE public.postbox_entries (
    entry_id integer NOT NULL,
    office character varying(16) NOT NULL COLLATE pg_catalog."C",
    kind character varying(16) NOT NULL,
    status character varying(16) NOT NULL,
    participant_id character varying(40) NOT NULL COLLATE pg_catalog."C",
    application_id integer,
    pair_key character varying(64) NOT NULL COLLATE pg_catalog."C",
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone,
    surname character varying(200) NOT NULL,
    given_name character varying(200) NOT NULL,
    name_key character varying(400) NOT NULL COLLATE pg_catalog."C",
    self_payer boolean NOT NULL,
    dtz_overall character varying(10),
    lid_points integer,
    expected_document character varying(16),
    blocker_codes character varying(400) DEFAULT ''::character varying NOT NULL,
    blocked boolean NOT NULL,
    flags character varying(200) DEFAULT ''::character varying NOT NULL,
    claimed_by_token integer,
    claimed_by_name character varying(200),
    claimed_at timestamp with time zone,
    claim_expires_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL
);

CREATE SEQUENCE public.postbox_entries_entry_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.postbox_entries_entry_id_seq OWNED BY public.postbox_entries.entry_id;

CREATE TABLE public.repetition_applications (
    application_id integer NOT NULL,
    participant_id character varying(40) NOT NULL COLLATE pg_catalog."C",
    received_on date NOT NULL,
    requested_hours integer NOT NULL,
    provider_confirmation boolean NOT NULL,
    repetition_starts_on date,
    in_ninth_section boolean DEFAULT false NOT NULL,
    proper_attendance boolean DEFAULT true NOT NULL,
    obliged_44a boolean DEFAULT false NOT NULL,
    status character varying(12) NOT NULL,
    decided_hours integer,
    waive_dtz_condition boolean,
    decision_reason text,
    decided_by character varying(200),
    decided_at timestamp with time zone,
    rules_version character varying(40),
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE public.repetition_applications_application_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.repetition_applications_application_id_seq OWNED BY public.repetition_applications.application_id;

CREATE TABLE public.schema_version (
    version integer NOT NULL,
    name character varying(200) NOT NULL,
    applied_at timestamp with time zone NOT NULL
);

CREATE TABLE public.tokens (
    token_id integer NOT NULL,
    token_hash character varying(64) NOT NULL,
    role character varying(20) NOT NULL,
    office character varying(16) COLLATE pg_catalog."C",
    name character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone
);

CREATE SEQUENCE public.tokens_token_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.tokens_token_id_seq OWNED BY public.tokens.token_id;

CREATE TABLE public.transmissions (
    transmission_id character varying(64) NOT NULL COLLATE pg_catalog."C",
    kind character varying(8) NOT NULL,
    participant_id character varying(40) NOT NULL COLLATE pg_catalog."C",
    token_id integer,
    fingerprint character varying(64) NOT NULL,
    response_status integer NOT NULL,
    response_body text NOT NULL,
    received_at timestamp with time zone NOT NULL
);

ALTER TABLE ONLY public.alt_b1_proofs ALTER COLUMN proof_id SET DEFAULT nextval('public.alt_b1_proofs_proof_id_seq'::regclass);

ALTER TABLE ONLY public.audit ALTER COLUMN audit_id SET DEFAULT nextval('public.audit_audit_id_seq'::regclass);

ALTER TABLE ONLY public.dtz_results ALTER COLUMN dtz_id SET DEFAULT nextval('public.dtz_results_dtz_id_seq'::regclass);

ALTER TABLE ONLY public.lid_results ALTER COLUMN lid_id SET DEFAULT nextval('public.lid_results_lid_id_seq'::regclass);

ALTER TABLE ONLY public.postbox_entries ALTER COLUMN entry_id SET DEFAULT nextval('public.postbox_entries_entry_id_seq'::regclass);

ALTER TABLE ONLY public.repetition_applications ALTER COLUMN application_id SET DEFAULT nextval('public.repetition_applications_application_id_seq'::regclass);

ALTER TABLE ONLY public.tokens ALTER COLUMN token_id SET DEFAULT nextval('public.tokens_token_id_seq'::regclass);

ALTER TABLE ONLY public.alt_b1_proofs
    ADD CONSTRAINT pk_alt_b1_proofs PRIMARY KEY (proof_id);

ALTER TABLE ONLY public.audit
    ADD CONSTRAINT pk_audit PRIMARY KEY (audit_id);

ALTER TABLE ONLY public.certificates
    ADD CONSTRAINT pk_certificates PRIMARY KEY (certificate_id);

ALTER TABLE ONLY public.counters
    ADD CONSTRAINT pk_counters PRIMARY KEY (name);

ALTER TABLE ONLY public.dtz_results
    ADD CONSTRAINT pk_dtz_results PRIMARY KEY (dtz_id);

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT pk_idempotency_keys PRIMARY KEY (token_id, key);

ALTER TABLE ONLY public.identities
    ADD CONSTRAINT pk_identities PRIMARY KEY (participant_id);

ALTER TABLE ONLY public.lid_results
    ADD CONSTRAINT pk_lid_results PRIMARY KEY (lid_id);

ALTER TABLE ONLY public.offices
    ADD CONSTRAINT pk_offices PRIMARY KEY (code);

ALTER TABLE ONLY public.participants
    ADD CONSTRAINT pk_participants PRIMARY KEY (participant_id);

ALTER TABLE ONLY public.postbox_entries
    ADD CONSTRAINT pk_postbox_entries PRIMARY KEY (entry_id);

ALTER TABLE ONLY public.repetition_applications
    ADD CONSTRAINT pk_repetition_applications PRIMARY KEY (application_id);

ALTER TABLE ONLY public.schema_version
    ADD CONSTRAINT pk_schema_version PRIMARY KEY (version);

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT pk_tokens PRIMARY KEY (token_id);

ALTER TABLE ONLY public.transmissions
    ADD CONSTRAINT pk_transmissions PRIMARY KEY (transmission_id);

ALTER TABLE ONLY public.certificates
    ADD CONSTRAINT uq_certificates_participant_id_pair_key UNIQUE (participant_id, pair_key);

ALTER TABLE ONLY public.dtz_results
    ADD CONSTRAINT uq_dtz_results_participant_id_exam_date_revision UNIQUE (participant_id, exam_date, revision);

ALTER TABLE ONLY public.lid_results
    ADD CONSTRAINT uq_lid_results_participant_id_exam_date_revision UNIQUE (participant_id, exam_date, revision);

ALTER TABLE ONLY public.postbox_entries
    ADD CONSTRAINT uq_postbox_entries_participant_id_kind_pair_key UNIQUE (participant_id, kind, pair_key);

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT uq_tokens_token_hash UNIQUE (token_hash);

CREATE INDEX ix_alt_b1_proofs_participant_id ON public.alt_b1_proofs USING btree (participant_id);

CREATE INDEX ix_audit_office_audit_id ON public.audit USING btree (office, audit_id);

CREATE INDEX ix_audit_participant_id_audit_id ON public.audit USING btree (participant_id, audit_id);

CREATE INDEX ix_participants_office_participant_id ON public.participants USING btree (office, participant_id);

CREATE INDEX ix_postbox_claim_expiry ON public.postbox_entries USING btree (status, claim_expires_at);

CREATE INDEX ix_postbox_office_created ON public.postbox_entries USING btree (office, created_at, entry_id);

CREATE INDEX ix_postbox_office_name ON public.postbox_entries USING btree (office, name_key);

CREATE INDEX ix_postbox_office_participant ON public.postbox_entries USING btree (office, participant_id);

CREATE INDEX ix_postbox_office_status_blocked_created ON public.postbox_entries USING btree (office, status, blocked, created_at, entry_id);

CREATE INDEX ix_postbox_office_status_created ON public.postbox_entries USING btree (office, status, created_at, entry_id);

CREATE INDEX ix_postbox_office_status_document_created ON public.postbox_entries USING btree (office, status, expected_document, created_at, entry_id);

CREATE INDEX ix_postbox_office_status_kind_created ON public.postbox_entries USING btree (office, status, kind, created_at, entry_id);

CREATE INDEX ix_repetition_applications_participant_id ON public.repetition_applications USING btree (participant_id);

CREATE UNIQUE INDEX uq_certificates_one_zertifikat ON public.certificates USING btree (participant_id) WHERE ((kind)::text = 'zertifikat'::text);

CREATE UNIQUE INDEX uq_dtz_results_current ON public.dtz_results USING btree (participant_id, exam_date) WHERE is_current;

CREATE UNIQUE INDEX uq_lid_results_current ON public.lid_results USING btree (participant_id, exam_date) WHERE is_current;

CREATE UNIQUE INDEX uq_postbox_open_abschluss ON public.postbox_entries USING btree (participant_id) WHERE (((kind)::text = 'abschluss'::text) AND ((status)::text <> 'erledigt'::text));

CREATE TRIGGER audit_no_change BEFORE DELETE OR UPDATE ON public.audit FOR EACH ROW EXECUTE FUNCTION public.inge_audit_append_only();

CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON public.audit FOR EACH STATEMENT EXECUTE FUNCTION public.inge_audit_append_only();

ALTER TABLE ONLY public.alt_b1_proofs
    ADD CONSTRAINT fk_alt_b1_proofs_participant_id_participants FOREIGN KEY (participant_id) REFERENCES public.participants(participant_id);

ALTER TABLE ONLY public.certificates
    ADD CONSTRAINT fk_certificates_office_offices FOREIGN KEY (office) REFERENCES public.offices(code);

ALTER TABLE ONLY public.certificates
    ADD CONSTRAINT fk_certificates_participant_id_participants FOREIGN KEY (participant_id) REFERENCES public.participants(participant_id);

ALTER TABLE ONLY public.dtz_results
    ADD CONSTRAINT fk_dtz_results_participant_id_participants FOREIGN KEY (participant_id) REFERENCES public.participants(participant_id);

ALTER TABLE ONLY public.identities
    ADD CONSTRAINT fk_identities_participant_id_participants FOREIGN KEY (participant_id) REFERENCES public.participants(participant_id);

ALTER TABLE ONLY public.lid_results
    ADD CONSTRAINT fk_lid_results_participant_id_participants FOREIGN KEY (participant_id) REFERENCES public.participants(participant_id);

ALTER TABLE ONLY public.participants
    ADD CONSTRAINT fk_participants_office_offices FOREIGN KEY (office) REFERENCES public.offices(code);

ALTER TABLE ONLY public.postbox_entries
    ADD CONSTRAINT fk_postbox_entries_application_id_repetition_applications FOREIGN KEY (application_id) REFERENCES public.repetition_applications(application_id);

ALTER TABLE ONLY public.postbox_entries
    ADD CONSTRAINT fk_postbox_entries_office_offices FOREIGN KEY (office) REFERENCES public.offices(code);

ALTER TABLE ONLY public.postbox_entries
    ADD CONSTRAINT fk_postbox_entries_participant_id_participants FOREIGN KEY (participant_id) REFERENCES public.participants(participant_id);

ALTER TABLE ONLY public.repetition_applications
    ADD CONSTRAINT fk_repetition_applications_participant_id_participants FOREIGN KEY (participant_id) REFERENCES public.participants(participant_id);

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT fk_tokens_office_offices FOREIGN KEY (office) REFERENCES public.offices(code);

ALTER TABLE ONLY public.transmissions
    ADD CONSTRAINT fk_transmissions_token_id_tokens FOREIGN KEY (token_id) REFERENCES public.tokens(token_id);


