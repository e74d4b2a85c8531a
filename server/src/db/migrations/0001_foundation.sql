-- Foundation: the hospital, its sites and departments, people, roles, logins, sessions and the audit log.
-- Times are timestamptz (UTC on disk); ids are bigint identities so a tenant key can be added later.

CREATE TABLE hospitals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- 院区
CREATE TABLE campuses (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hospital_id bigint NOT NULL REFERENCES hospitals(id),
  code text NOT NULL,
  name text NOT NULL,
  address text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hospital_id, code)
);

-- 科室 / 病区: a tree inside one campus; building and floor tell the lunch runners where to go.
CREATE TABLE departments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hospital_id bigint NOT NULL REFERENCES hospitals(id),
  campus_id bigint NOT NULL REFERENCES campuses(id),
  parent_id bigint REFERENCES departments(id),
  code text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL DEFAULT 'clinical' CHECK (kind IN ('clinical', 'ward', 'medical_technology', 'administrative', 'logistics')),
  building text NOT NULL DEFAULT '',
  floor text NOT NULL DEFAULT '',
  wecom_id text,
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hospital_id, code),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX departments_parent_idx ON departments (parent_id);
CREATE INDEX departments_campus_idx ON departments (campus_id);
CREATE UNIQUE INDEX departments_wecom_idx ON departments (hospital_id, wecom_id) WHERE wecom_id IS NOT NULL;

CREATE TABLE people (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hospital_id bigint NOT NULL REFERENCES hospitals(id),
  employee_no text NOT NULL, -- 工号
  name text NOT NULL,
  phone text NOT NULL DEFAULT '',
  department_id bigint REFERENCES departments(id),
  kind text NOT NULL DEFAULT 'staff' CHECK (kind IN ('staff', 'patient_family', 'contractor', 'visitor')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
  wecom_user_id text,
  joined_on date,
  left_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hospital_id, employee_no)
);
CREATE INDEX people_department_idx ON people (department_id);
CREATE INDEX people_name_idx ON people (hospital_id, name);
CREATE UNIQUE INDEX people_wecom_idx ON people (hospital_id, wecom_user_id) WHERE wecom_user_id IS NOT NULL;

-- Roles are fixed codes; what each may do lives in code (platform/auth/permissions.ts) so a deploy
-- cannot drift from the checks the server makes.
CREATE TABLE roles (
  code text PRIMARY KEY,
  sort_order integer NOT NULL DEFAULT 0
);
INSERT INTO roles (code, sort_order) VALUES
  ('staff', 10), ('cashier', 20), ('kitchen', 30), ('delivery', 40),
  ('finance', 50), ('canteen_manager', 60), ('admin', 70), ('auditor', 80);

CREATE TABLE person_roles (
  person_id bigint NOT NULL REFERENCES people(id),
  role_code text NOT NULL REFERENCES roles(code),
  granted_at timestamptz NOT NULL DEFAULT now(),
  granted_by bigint REFERENCES people(id),
  PRIMARY KEY (person_id, role_code)
);

-- Password logins for the admin console (and demo users); WeCom logins come with their own issue.
CREATE TABLE password_logins (
  person_id bigint PRIMARY KEY REFERENCES people(id),
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now()
);

-- Sessions live in the database so any app instance can serve any request. Only a hash of the
-- token is stored: a leaked table does not leak live sessions.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES people(id),
  method text NOT NULL CHECK (method IN ('password', 'dev', 'wecom')),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text NOT NULL DEFAULT '',
  user_agent text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_person_idx ON sessions (person_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

-- Append-only record of every change made through the admin API.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id bigint REFERENCES people(id),
  action text NOT NULL,
  entity text NOT NULL,
  entity_id text NOT NULL,
  before jsonb,
  after jsonb,
  request_id text NOT NULL DEFAULT '',
  ip text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);
