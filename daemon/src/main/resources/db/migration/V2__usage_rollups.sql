-- Loopwatch store, version 2: usage sums by local day and over all time, so that totals and per-day, -week
-- and -month answers read one row per day (or none) and dimension instead of one per 15 minutes: their
-- cost stays nearly flat as the history grows denser. Days are local days in one time zone (the
-- daemon's), recorded in store_settings; a query in another zone reads usage_buckets as before. The
-- projector fills both tables from usage_buckets when they were made for another zone or by version 1
-- (this upgrade).

CREATE TABLE usage_days (
  local_day   BIGINT        NOT NULL, -- epoch day of the local date in store_settings 'usage_days.zone'
  machine     VARCHAR(255)  NOT NULL,
  project     VARCHAR(4096) NOT NULL,
  model       VARCHAR(255)  NOT NULL,
  speed       VARCHAR(16)   NOT NULL,
  agent       VARCHAR(16)   NOT NULL,
  requests    BIGINT NOT NULL,
  input_lo BIGINT NOT NULL, input_hi BIGINT NOT NULL,
  output_lo BIGINT NOT NULL, output_hi BIGINT NOT NULL,
  cw5_lo BIGINT NOT NULL, cw5_hi BIGINT NOT NULL,
  cw1_lo BIGINT NOT NULL, cw1_hi BIGINT NOT NULL,
  cr_lo BIGINT NOT NULL, cr_hi BIGINT NOT NULL,
  web_search BIGINT NOT NULL,
  PRIMARY KEY (local_day, machine, project, model, speed, agent)
);

-- The same sums over all time (no time column): totals and --by project|model|agent without --since or
-- --until read one row per dimension, in any zone.
CREATE TABLE usage_totals (
  machine     VARCHAR(255)  NOT NULL,
  project     VARCHAR(4096) NOT NULL,
  model       VARCHAR(255)  NOT NULL,
  speed       VARCHAR(16)   NOT NULL,
  agent       VARCHAR(16)   NOT NULL,
  requests    BIGINT NOT NULL,
  input_lo BIGINT NOT NULL, input_hi BIGINT NOT NULL,
  output_lo BIGINT NOT NULL, output_hi BIGINT NOT NULL,
  cw5_lo BIGINT NOT NULL, cw5_hi BIGINT NOT NULL,
  cw1_lo BIGINT NOT NULL, cw1_hi BIGINT NOT NULL,
  cr_lo BIGINT NOT NULL, cr_hi BIGINT NOT NULL,
  web_search BIGINT NOT NULL,
  PRIMARY KEY (machine, project, model, speed, agent)
);

-- Facts about the projection itself (not rebuilt from the journal; a rebuild keeps them).
CREATE TABLE store_settings (
  name        VARCHAR(64)  PRIMARY KEY,
  setting     VARCHAR(255) NOT NULL
);
