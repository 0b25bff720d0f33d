CREATE TABLE schema_version (
	version INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	applied_at DATETIME NOT NULL, 
	CONSTRAINT pk_schema_version PRIMARY KEY (version)
);
CREATE TABLE offices (
	code VARCHAR(16) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_offices PRIMARY KEY (code)
);
CREATE TABLE counters (
	name VARCHAR(32) NOT NULL, 
	value INTEGER NOT NULL, 
	CONSTRAINT pk_counters PRIMARY KEY (name)
);
CREATE TABLE idempotency_keys (
	token_id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	fingerprint VARCHAR(64) NOT NULL, 
	status VARCHAR(12) NOT NULL, 
	response_status INTEGER NOT NULL, 
	response_body TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_idempotency_keys PRIMARY KEY (token_id, "key")
);
CREATE TABLE audit (
	audit_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	office VARCHAR(16), 
	participant_id VARCHAR(40), 
	entry_id INTEGER, 
	actor_token INTEGER, 
	actor_name VARCHAR(200) NOT NULL, 
	actor_role VARCHAR(20) NOT NULL, 
	action VARCHAR(40) NOT NULL, 
	inputs TEXT DEFAULT '{}' NOT NULL, 
	outcome TEXT DEFAULT '{}' NOT NULL, 
	rules_version VARCHAR(40), 
	CONSTRAINT pk_audit PRIMARY KEY (audit_id)
);
CREATE INDEX ix_audit_participant_id_audit_id ON audit (participant_id, audit_id);
CREATE INDEX ix_audit_office_audit_id ON audit (office, audit_id);
CREATE TABLE tokens (
	token_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	office VARCHAR(16), 
	name VARCHAR(200) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	CONSTRAINT pk_tokens PRIMARY KEY (token_id), 
	CONSTRAINT uq_tokens_token_hash UNIQUE (token_hash), 
	CONSTRAINT fk_tokens_office_offices FOREIGN KEY(office) REFERENCES offices (code)
);
CREATE TABLE participants (
	participant_id VARCHAR(40) NOT NULL, 
	office VARCHAR(16) NOT NULL, 
	surname VARCHAR(200) NOT NULL, 
	given_name VARCHAR(200) NOT NULL, 
	birth_date DATE NOT NULL, 
	course_type VARCHAR(24) NOT NULL, 
	contingent_hours INTEGER NOT NULL, 
	hours_used INTEGER NOT NULL, 
	self_payer BOOLEAN NOT NULL, 
	entitlement_date DATE, 
	registered_on DATE, 
	course_start DATE, 
	version INTEGER DEFAULT 1 NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_participants PRIMARY KEY (participant_id), 
	CONSTRAINT fk_participants_office_offices FOREIGN KEY(office) REFERENCES offices (code)
);
CREATE INDEX ix_participants_office_participant_id ON participants (office, participant_id);
CREATE TABLE identities (
	participant_id VARCHAR(40) NOT NULL, 
	document_type VARCHAR(20), 
	document_number VARCHAR(40), 
	street VARCHAR(200), 
	postal_code VARCHAR(10), 
	city VARCHAR(200), 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_identities PRIMARY KEY (participant_id), 
	CONSTRAINT fk_identities_participant_id_participants FOREIGN KEY(participant_id) REFERENCES participants (participant_id)
);
CREATE TABLE dtz_results (
	dtz_id INTEGER NOT NULL, 
	participant_id VARCHAR(40) NOT NULL, 
	exam_date DATE NOT NULL, 
	revision INTEGER DEFAULT 1 NOT NULL, 
	is_current BOOLEAN DEFAULT true NOT NULL, 
	funded BOOLEAN DEFAULT true NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	superseded_at DATETIME, 
	exam_center VARCHAR(200) NOT NULL, 
	source VARCHAR(12) NOT NULL, 
	hoeren_lesen FLOAT, 
	schreiben FLOAT, 
	sprechen FLOAT, 
	complete BOOLEAN NOT NULL, 
	overall VARCHAR(10), 
	hours_used_at_exam INTEGER, 
	within_repetition BOOLEAN DEFAULT false NOT NULL, 
	CONSTRAINT pk_dtz_results PRIMARY KEY (dtz_id), 
	CONSTRAINT uq_dtz_results_participant_id_exam_date_revision UNIQUE (participant_id, exam_date, revision), 
	CONSTRAINT fk_dtz_results_participant_id_participants FOREIGN KEY(participant_id) REFERENCES participants (participant_id)
);
CREATE UNIQUE INDEX uq_dtz_results_current ON dtz_results (participant_id, exam_date) WHERE is_current;
CREATE TABLE lid_results (
	lid_id INTEGER NOT NULL, 
	participant_id VARCHAR(40) NOT NULL, 
	exam_date DATE NOT NULL, 
	revision INTEGER DEFAULT 1 NOT NULL, 
	is_current BOOLEAN DEFAULT true NOT NULL, 
	funded BOOLEAN DEFAULT true NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	superseded_at DATETIME, 
	points INTEGER NOT NULL, 
	passed BOOLEAN NOT NULL, 
	CONSTRAINT pk_lid_results PRIMARY KEY (lid_id), 
	CONSTRAINT uq_lid_results_participant_id_exam_date_revision UNIQUE (participant_id, exam_date, revision), 
	CONSTRAINT fk_lid_results_participant_id_participants FOREIGN KEY(participant_id) REFERENCES participants (participant_id)
);
CREATE UNIQUE INDEX uq_lid_results_current ON lid_results (participant_id, exam_date) WHERE is_current;
CREATE TABLE alt_b1_proofs (
	proof_id INTEGER NOT NULL, 
	participant_id VARCHAR(40) NOT NULL, 
	exam_name VARCHAR(200) NOT NULL, 
	level VARCHAR(4) NOT NULL, 
	issued_on DATE NOT NULL, 
	presented_on DATE NOT NULL, 
	is_current BOOLEAN DEFAULT true NOT NULL, 
	recorded_by VARCHAR(200) NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	CONSTRAINT pk_alt_b1_proofs PRIMARY KEY (proof_id), 
	CONSTRAINT fk_alt_b1_proofs_participant_id_participants FOREIGN KEY(participant_id) REFERENCES participants (participant_id)
);
CREATE INDEX ix_alt_b1_proofs_participant_id ON alt_b1_proofs (participant_id);
CREATE TABLE transmissions (
	transmission_id VARCHAR(64) NOT NULL, 
	kind VARCHAR(8) NOT NULL, 
	participant_id VARCHAR(40) NOT NULL, 
	token_id INTEGER, 
	fingerprint VARCHAR(64) NOT NULL, 
	response_status INTEGER NOT NULL, 
	response_body TEXT NOT NULL, 
	received_at DATETIME NOT NULL, 
	CONSTRAINT pk_transmissions PRIMARY KEY (transmission_id), 
	CONSTRAINT fk_transmissions_token_id_tokens FOREIGN KEY(token_id) REFERENCES tokens (token_id)
);
CREATE TABLE repetition_applications (
	application_id INTEGER NOT NULL, 
	participant_id VARCHAR(40) NOT NULL, 
	received_on DATE NOT NULL, 
	requested_hours INTEGER NOT NULL, 
	provider_confirmation BOOLEAN NOT NULL, 
	repetition_starts_on DATE, 
	in_ninth_section BOOLEAN DEFAULT false NOT NULL, 
	proper_attendance BOOLEAN DEFAULT true NOT NULL, 
	obliged_44a BOOLEAN DEFAULT false NOT NULL, 
	status VARCHAR(12) NOT NULL, 
	decided_hours INTEGER, 
	waive_dtz_condition BOOLEAN, 
	decision_reason TEXT, 
	decided_by VARCHAR(200), 
	decided_at DATETIME, 
	rules_version VARCHAR(40), 
	version INTEGER DEFAULT 1 NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_repetition_applications PRIMARY KEY (application_id), 
	CONSTRAINT fk_repetition_applications_participant_id_participants FOREIGN KEY(participant_id) REFERENCES participants (participant_id)
);
CREATE INDEX ix_repetition_applications_participant_id ON repetition_applications (participant_id);
CREATE TABLE certificates (
	certificate_id VARCHAR(32) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	participant_id VARCHAR(40) NOT NULL, 
	office VARCHAR(16) NOT NULL, 
	pair_key VARCHAR(64) NOT NULL, 
	issued_on DATE NOT NULL, 
	issued_at DATETIME NOT NULL, 
	issued_by VARCHAR(200) NOT NULL, 
	rules_version VARCHAR(40) NOT NULL, 
	inputs TEXT NOT NULL, 
	pdf BLOB NOT NULL, 
	CONSTRAINT pk_certificates PRIMARY KEY (certificate_id), 
	CONSTRAINT uq_certificates_participant_id_pair_key UNIQUE (participant_id, pair_key), 
	CONSTRAINT fk_certificates_participant_id_participants FOREIGN KEY(participant_id) REFERENCES participants (participant_id), 
	CONSTRAINT fk_certificates_office_offices FOREIGN KEY(office) REFERENCES offices (code)
);
CREATE UNIQUE INDEX uq_certificates_one_zertifikat ON certificates (participant_id) WHERE kind = 'zertifikat';
CREATE TABLE postbox_entries (
	entry_id INTEGER NOT NULL, 
	office VARCHAR(16) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	participant_id VARCHAR(40) NOT NULL, 
	application_id INTEGER, 
	pair_key VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	closed_at DATETIME, 
	surname VARCHAR(200) NOT NULL, 
	given_name VARCHAR(200) NOT NULL, 
	name_key VARCHAR(400) NOT NULL, 
	self_payer BOOLEAN NOT NULL, 
	dtz_overall VARCHAR(10), 
	lid_points INTEGER, 
	expected_document VARCHAR(16), 
	blocker_codes VARCHAR(400) DEFAULT '' NOT NULL, 
	blocked BOOLEAN NOT NULL, 
	flags VARCHAR(200) DEFAULT '' NOT NULL, 
	claimed_by_token INTEGER, 
	claimed_by_name VARCHAR(200), 
	claimed_at DATETIME, 
	claim_expires_at DATETIME, 
	version INTEGER DEFAULT 1 NOT NULL, 
	CONSTRAINT pk_postbox_entries PRIMARY KEY (entry_id), 
	CONSTRAINT uq_postbox_entries_participant_id_kind_pair_key UNIQUE (participant_id, kind, pair_key), 
	CONSTRAINT fk_postbox_entries_office_offices FOREIGN KEY(office) REFERENCES offices (code), 
	CONSTRAINT fk_postbox_entries_participant_id_participants FOREIGN KEY(participant_id) REFERENCES participants (participant_id), 
	CONSTRAINT fk_postbox_entries_application_id_repetition_applications FOREIGN KEY(application_id) REFERENCES repetition_applications (application_id)
);
CREATE INDEX ix_postbox_office_participant ON postbox_entries (office, participant_id);
CREATE UNIQUE INDEX uq_postbox_open_abschluss ON postbox_entries (participant_id) WHERE kind = 'abschluss' AND status != 'erledigt';
CREATE INDEX ix_postbox_office_status_created ON postbox_entries (office, status, created_at, entry_id);
CREATE INDEX ix_postbox_claim_expiry ON postbox_entries (status, claim_expires_at);
CREATE INDEX ix_postbox_office_status_blocked_created ON postbox_entries (office, status, blocked, created_at, entry_id);
CREATE INDEX ix_postbox_office_created ON postbox_entries (office, created_at, entry_id);
CREATE INDEX ix_postbox_office_status_document_created ON postbox_entries (office, status, expected_document, created_at, entry_id);
CREATE INDEX ix_postbox_office_status_kind_created ON postbox_entries (office, status, kind, created_at, entry_id);
CREATE INDEX ix_postbox_office_name ON postbox_entries (office, name_key);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
