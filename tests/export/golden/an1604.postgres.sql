-- acctrace VERSION export of MITRE ATT&CK AN1604 (T1136 Create Account).
-- Detects: every account creation (4720, or a SAM key write without one) paired with each
--     process in the creator's logon session on that host that started in the window
--     (security-4688 or sysmon-1) or, if a script host or a binary from outside the Windows
--     folders (`in_window` false), earlier and not ended before it, or, when the session is
--     unknown, each process whose command line names the account. Views
--     acctrace_an1604_creation and acctrace_an1604_pair over the tables creation, process,
--     process_end, sam_write (acctrace's event model, docs/export.md); dialect postgres.
-- Window: the process started at most 120 s before the 4720.
-- Policy: sha256 1eb76bf2f2c8d9a3bdc0a4c372cdf8c2da882adf34c8056214ec34a768c89b74
-- Cannot express (acctrace does these; see docs/export.md):
--   - ancestry beyond the parent (acctrace walks the whole lineage, one level per query)
--   - which candidate created the account: every candidate is a row; acctrace ranks them
--   - the cross-host origin of a network logon session
--   - verdicts, reasons and follow-ups (group changes, enable/reset/delete, first use)
CREATE OR REPLACE VIEW acctrace_an1604_creation AS
SELECT
  "t0"."event_key",
  "t0"."host",
  "t0"."host_name",
  "t0"."time_us",
  "t0"."record_id",
  "t0"."event_id",
  "t0"."channel",
  "t0"."file",
  "t0"."sha256",
  "t0"."account_sid",
  "t0"."account_name",
  "t0"."account_domain",
  "t0"."sam_account_name",
  "t0"."display_name",
  "t0"."user_principal_name",
  "t0"."creator_sid",
  "t0"."creator_name",
  "t0"."creator_domain",
  "t0"."creator_logon_id",
  "t0"."new_uac",
  "t0"."primary_group_id"
FROM "creation" AS "t0"
UNION ALL
SELECT
  *
FROM (
  SELECT
    "t7"."event_key",
    "t7"."host",
    "t7"."host_name",
    "t7"."time_us",
    "t7"."record_id",
    "t7"."event_id",
    "t7"."channel",
    "t7"."file",
    "t7"."sha256",
    CAST(NULL AS VARCHAR) AS "account_sid",
    "t7"."account_name",
    CAST(NULL AS VARCHAR) AS "account_domain",
    "t7"."account_name" AS "sam_account_name",
    CAST(NULL AS VARCHAR) AS "display_name",
    CAST(NULL AS VARCHAR) AS "user_principal_name",
    CAST(NULL AS VARCHAR) AS "creator_sid",
    CAST(NULL AS VARCHAR) AS "creator_name",
    CAST(NULL AS VARCHAR) AS "creator_domain",
    CAST(NULL AS VARCHAR) AS "creator_logon_id",
    CAST(NULL AS VARCHAR) AS "new_uac",
    CAST(NULL AS VARCHAR) AS "primary_group_id"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t3"."event_key",
        "t3"."host",
        "t3"."host_name",
        "t3"."time_us",
        "t3"."record_id",
        "t3"."event_id",
        "t3"."channel",
        "t3"."file",
        "t3"."sha256",
        "t3"."account_name",
        "t3"."alias_rid",
        "t3"."hidden_from_logon",
        "t3"."action",
        "t3"."pid",
        "t3"."process_guid",
        "t3"."image",
        "t3"."name_key",
        ROW_NUMBER() OVER (
          PARTITION BY "t3"."host", "t3"."name_key"
          ORDER BY "t3"."time_us" ASC, "t3"."event_key" ASC
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        ) - 1 AS "_rank"
      FROM (
        SELECT
          "t1"."event_key",
          "t1"."host",
          "t1"."host_name",
          "t1"."time_us",
          "t1"."record_id",
          "t1"."event_id",
          "t1"."channel",
          "t1"."file",
          "t1"."sha256",
          "t1"."account_name",
          "t1"."alias_rid",
          "t1"."hidden_from_logon",
          "t1"."action",
          "t1"."pid",
          "t1"."process_guid",
          "t1"."image",
          LOWER("t1"."account_name") AS "name_key"
        FROM "sam_write" AS "t1"
        WHERE
          "t1"."account_name" IS NOT NULL
          AND "t1"."hidden_from_logon" IS NULL
          AND "t1"."action" IN ('CreateKey', 'SetValue')
      ) AS "t3"
    ) AS "t5"
    WHERE
      "t5"."_rank" = 0
  ) AS "t7"
  WHERE
    NOT EXISTS(
      SELECT
        1
      FROM (
        SELECT
          "t0"."host" AS "k_host",
          LOWER("t0"."account_name") AS "k_name"
        FROM "creation" AS "t0"
      ) AS "t4"
      WHERE
        "t7"."host" = "t4"."k_host" AND "t7"."name_key" = "t4"."k_name"
    )
) AS "t8";
CREATE OR REPLACE VIEW acctrace_an1604_pair AS
WITH "t11" AS (
  SELECT
    "t1"."event_key" AS "k_key",
    "t1"."host" AS "k_host",
    "t1"."pid" AS "k_pid",
    "t1"."process_guid" AS "k_guid",
    "t1"."time_us" AS "k_time",
    LOWER("t1"."image") AS "k_image"
  FROM "process" AS "t1"
), "t64" AS (
  SELECT
    *
  FROM (
    SELECT
      "t62"."creation_key",
      "t62"."c_time",
      "t62"."event_key",
      "t62"."host",
      "t62"."host_name",
      "t62"."time_us",
      "t62"."record_id",
      "t62"."event_id",
      "t62"."channel",
      "t62"."file",
      "t62"."sha256",
      "t62"."pid",
      "t62"."parent_pid",
      "t62"."logon_id",
      "t62"."image",
      "t62"."command_line",
      "t62"."parent_image",
      "t62"."parent_command_line",
      "t62"."process_guid",
      "t62"."parent_process_guid",
      "t62"."user_sid",
      "t62"."user_name",
      "t62"."user_domain",
      "t62"."integrity",
      "t62"."telemetry",
      "t62"."surely_before",
      "t62"."in_window"
    FROM (
      SELECT
        "t56"."creation_key",
        "t56"."c_host",
        "t56"."c_time",
        "t56"."c_logon",
        "t56"."c_channel",
        "t56"."c_record",
        "t56"."c_name",
        "t56"."c_skew",
        "t56"."c_tol",
        "t56"."c_sec",
        "t56"."event_key",
        "t56"."host",
        "t56"."host_name",
        "t56"."time_us",
        "t56"."record_id",
        "t56"."event_id",
        "t56"."channel",
        "t56"."file",
        "t56"."sha256",
        "t56"."pid",
        "t56"."parent_pid",
        "t56"."logon_id",
        "t56"."image",
        "t56"."command_line",
        "t56"."parent_image",
        "t56"."parent_command_line",
        "t56"."process_guid",
        "t56"."parent_process_guid",
        "t56"."user_sid",
        "t56"."user_name",
        "t56"."user_domain",
        "t56"."integrity",
        "t56"."telemetry",
        "t56"."surely_before",
        "t56"."in_window"
      FROM (
        SELECT
          "t49"."creation_key",
          "t49"."c_host",
          "t49"."c_time",
          "t49"."c_logon",
          "t49"."c_channel",
          "t49"."c_record",
          "t49"."c_name",
          "t49"."c_skew",
          "t49"."c_tol",
          "t49"."c_sec",
          "t49"."event_key",
          "t49"."host",
          "t49"."host_name",
          "t49"."time_us",
          "t49"."record_id",
          "t49"."event_id",
          "t49"."channel",
          "t49"."file",
          "t49"."sha256",
          "t49"."pid",
          "t49"."parent_pid",
          "t49"."logon_id",
          "t49"."image",
          "t49"."command_line",
          "t49"."parent_image",
          "t49"."parent_command_line",
          "t49"."process_guid",
          "t49"."parent_process_guid",
          "t49"."user_sid",
          "t49"."user_name",
          "t49"."user_domain",
          "t49"."integrity",
          "t49"."telemetry",
          (
            (
              "t49"."channel" = "t49"."c_channel"
            )
            AND (
              "t49"."record_id" IS NOT NULL
            )
            AND (
              "t49"."c_record" IS NOT NULL
            )
            AND (
              "t49"."record_id" < "t49"."c_record"
            )
          )
          OR (
            NOT (
              (
                "t49"."channel" = "t49"."c_channel"
              )
              AND (
                "t49"."record_id" IS NOT NULL
              )
              AND (
                "t49"."c_record" IS NOT NULL
              )
            )
            AND (
              (
                "t49"."time_us" - CASE
                  WHEN POSITION('sysmon' IN LOWER("t49"."channel")) > 0
                  THEN "t49"."c_skew"
                  ELSE 0
                END
              ) < (
                "t49"."c_sec" - "t49"."c_tol"
              )
            )
          ) AS "surely_before",
          (
            "t49"."time_us" - CASE
              WHEN POSITION('sysmon' IN LOWER("t49"."channel")) > 0
              THEN "t49"."c_skew"
              ELSE 0
            END
          ) >= (
            "t49"."c_sec" - 120000000
          ) AS "in_window"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t44"."creation_key",
              "t44"."c_host",
              "t44"."c_time",
              "t44"."c_logon",
              "t44"."c_channel",
              "t44"."c_record",
              "t44"."c_name",
              "t44"."c_skew",
              "t44"."c_tol",
              "t44"."c_sec",
              "t4"."event_key",
              "t4"."host",
              "t4"."host_name",
              "t4"."time_us",
              "t4"."record_id",
              "t4"."event_id",
              "t4"."channel",
              "t4"."file",
              "t4"."sha256",
              "t4"."pid",
              "t4"."parent_pid",
              "t4"."logon_id",
              "t4"."image",
              "t4"."command_line",
              "t4"."parent_image",
              "t4"."parent_command_line",
              "t4"."process_guid",
              "t4"."parent_process_guid",
              "t4"."user_sid",
              "t4"."user_name",
              "t4"."user_domain",
              "t4"."integrity",
              "t4"."telemetry"
            FROM (
              SELECT
                "t42"."creation_key",
                "t42"."c_host",
                "t42"."c_time",
                "t42"."c_logon",
                "t42"."c_channel",
                "t42"."c_record",
                "t42"."c_name",
                COALESCE("t42"."k_skew", 0) AS "c_skew",
                COALESCE("t42"."k_tol", 5000000) AS "c_tol",
                "t42"."c_time" - CASE
                  WHEN POSITION('sysmon' IN LOWER("t42"."c_channel")) > 0
                  THEN COALESCE("t42"."k_skew", 0)
                  ELSE 0
                END AS "c_sec"
              FROM (
                SELECT
                  "t17"."creation_key",
                  "t17"."c_host",
                  "t17"."c_time",
                  "t17"."c_logon",
                  "t17"."c_channel",
                  "t17"."c_record",
                  "t17"."c_name",
                  "t40"."k_host",
                  "t40"."k_skew",
                  "t40"."k_tol"
                FROM (
                  SELECT
                    "t0"."event_key" AS "creation_key",
                    "t0"."host" AS "c_host",
                    "t0"."time_us" AS "c_time",
                    "t0"."creator_logon_id" AS "c_logon",
                    "t0"."channel" AS "c_channel",
                    "t0"."record_id" AS "c_record",
                    LOWER("t0"."account_name") AS "c_name"
                  FROM "acctrace_an1604_creation" AS "t0"
                ) AS "t17"
                LEFT OUTER JOIN (
                  SELECT
                    "t35"."host" AS "k_host",
                    CASE WHEN "t35"."pairs" >= 3 THEN "t35"."median_us" ELSE 0 END AS "k_skew",
                    CASE
                      WHEN "t35"."pairs" >= 3
                      THEN LEAST((
                        "t35"."high_us" - "t35"."low_us"
                      ) + 10000, 5000000)
                      ELSE 5000000
                    END AS "k_tol"
                  FROM (
                    SELECT
                      "t33"."host",
                      COUNT(*) AS "pairs",
                      CAST(PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY
                        "t33"."delta_us") AS BIGINT) AS "median_us",
                      MIN("t33"."delta_us") AS "low_us",
                      MAX("t33"."delta_us") AS "high_us"
                    FROM (
                      SELECT
                        "t32"."host",
                        "t32"."delta_us"
                      FROM (
                        SELECT
                          "t27"."event_key",
                          "t27"."host",
                          "t27"."host_name",
                          "t27"."time_us",
                          "t27"."record_id",
                          "t27"."event_id",
                          "t27"."channel",
                          "t27"."file",
                          "t27"."sha256",
                          "t27"."pid",
                          "t27"."parent_pid",
                          "t27"."logon_id",
                          "t27"."image",
                          "t27"."command_line",
                          "t27"."parent_image",
                          "t27"."parent_command_line",
                          "t27"."process_guid",
                          "t27"."parent_process_guid",
                          "t27"."user_sid",
                          "t27"."user_name",
                          "t27"."user_domain",
                          "t27"."integrity",
                          "t27"."telemetry",
                          "t27"."p_host",
                          "t27"."p_pid",
                          "t27"."p_image",
                          "t27"."p_time",
                          "t27"."p_key",
                          "t27"."delta_us",
                          ROW_NUMBER() OVER (
                            PARTITION BY "t27"."event_key"
                            ORDER BY ABS("t27"."delta_us") ASC, "t27"."p_key" ASC
                            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                          ) - 1 AS "_rank"
                        FROM (
                          SELECT
                            "t25"."event_key",
                            "t25"."host",
                            "t25"."host_name",
                            "t25"."time_us",
                            "t25"."record_id",
                            "t25"."event_id",
                            "t25"."channel",
                            "t25"."file",
                            "t25"."sha256",
                            "t25"."pid",
                            "t25"."parent_pid",
                            "t25"."logon_id",
                            "t25"."image",
                            "t25"."command_line",
                            "t25"."parent_image",
                            "t25"."parent_command_line",
                            "t25"."process_guid",
                            "t25"."parent_process_guid",
                            "t25"."user_sid",
                            "t25"."user_name",
                            "t25"."user_domain",
                            "t25"."integrity",
                            "t25"."telemetry",
                            "t25"."p_host",
                            "t25"."p_pid",
                            "t25"."p_image",
                            "t25"."p_time",
                            "t25"."p_key",
                            "t25"."time_us" - "t25"."p_time" AS "delta_us"
                          FROM (
                            SELECT
                              "t19"."event_key",
                              "t19"."host",
                              "t19"."host_name",
                              "t19"."time_us",
                              "t19"."record_id",
                              "t19"."event_id",
                              "t19"."channel",
                              "t19"."file",
                              "t19"."sha256",
                              "t19"."pid",
                              "t19"."parent_pid",
                              "t19"."logon_id",
                              "t19"."image",
                              "t19"."command_line",
                              "t19"."parent_image",
                              "t19"."parent_command_line",
                              "t19"."process_guid",
                              "t19"."parent_process_guid",
                              "t19"."user_sid",
                              "t19"."user_name",
                              "t19"."user_domain",
                              "t19"."integrity",
                              "t19"."telemetry",
                              "t20"."p_host",
                              "t20"."p_pid",
                              "t20"."p_image",
                              "t20"."p_time",
                              "t20"."p_key"
                            FROM (
                              SELECT
                                "t1"."event_key",
                                "t1"."host",
                                "t1"."host_name",
                                "t1"."time_us",
                                "t1"."record_id",
                                "t1"."event_id",
                                "t1"."channel",
                                "t1"."file",
                                "t1"."sha256",
                                "t1"."pid",
                                "t1"."parent_pid",
                                "t1"."logon_id",
                                "t1"."image",
                                "t1"."command_line",
                                "t1"."parent_image",
                                "t1"."parent_command_line",
                                "t1"."process_guid",
                                "t1"."parent_process_guid",
                                "t1"."user_sid",
                                "t1"."user_name",
                                "t1"."user_domain",
                                "t1"."integrity",
                                "t1"."telemetry"
                              FROM "process" AS "t1"
                              WHERE
                                "t1"."telemetry" = 'sysmon-1'
                            ) AS "t19"
                            INNER JOIN (
                              SELECT
                                "t1"."host" AS "p_host",
                                "t1"."pid" AS "p_pid",
                                LOWER("t1"."image") AS "p_image",
                                "t1"."time_us" AS "p_time",
                                "t1"."event_key" AS "p_key"
                              FROM "process" AS "t1"
                              WHERE
                                "t1"."telemetry" = 'security-4688'
                            ) AS "t20"
                              ON "t19"."host" = "t20"."p_host"
                              AND "t19"."pid" = "t20"."p_pid"
                              AND LOWER("t19"."image") = "t20"."p_image"
                              AND ABS("t19"."time_us" - "t20"."p_time") <= 60000000
                          ) AS "t25"
                        ) AS "t27"
                      ) AS "t32"
                      WHERE
                        "t32"."_rank" = 0
                    ) AS "t33"
                    GROUP BY
                      1
                  ) AS "t35"
                ) AS "t40"
                  ON "t17"."c_host" = "t40"."k_host"
              ) AS "t42"
            ) AS "t44"
            INNER JOIN "process" AS "t4"
              ON "t44"."c_host" = "t4"."host"
              AND "t44"."c_logon" = "t4"."logon_id"
              AND "t4"."time_us" >= (
                (
                  "t44"."c_time" - 120000000
                ) - (
                  ABS("t44"."c_skew") + "t44"."c_tol"
                )
              )
              AND "t4"."time_us" <= (
                "t44"."c_time" + (
                  ABS("t44"."c_skew") + "t44"."c_tol"
                )
              )
          ) AS "t47"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t45"."creation_key",
              "t45"."c_host",
              "t45"."c_time",
              "t45"."c_logon",
              "t45"."c_channel",
              "t45"."c_record",
              "t45"."c_name",
              "t45"."c_skew",
              "t45"."c_tol",
              "t45"."c_sec",
              "t45"."event_key",
              "t45"."host",
              "t45"."host_name",
              "t45"."time_us",
              "t45"."record_id",
              "t45"."event_id",
              "t45"."channel",
              "t45"."file",
              "t45"."sha256",
              "t45"."pid",
              "t45"."parent_pid",
              "t45"."logon_id",
              "t45"."image",
              "t45"."command_line",
              "t45"."parent_image",
              "t45"."parent_command_line",
              "t45"."process_guid",
              "t45"."parent_process_guid",
              "t45"."user_sid",
              "t45"."user_name",
              "t45"."user_domain",
              "t45"."integrity",
              "t45"."telemetry"
            FROM (
              SELECT
                "t44"."creation_key",
                "t44"."c_host",
                "t44"."c_time",
                "t44"."c_logon",
                "t44"."c_channel",
                "t44"."c_record",
                "t44"."c_name",
                "t44"."c_skew",
                "t44"."c_tol",
                "t44"."c_sec",
                "t41"."event_key",
                "t41"."host",
                "t41"."host_name",
                "t41"."time_us",
                "t41"."record_id",
                "t41"."event_id",
                "t41"."channel",
                "t41"."file",
                "t41"."sha256",
                "t41"."pid",
                "t41"."parent_pid",
                "t41"."logon_id",
                "t41"."image",
                "t41"."command_line",
                "t41"."parent_image",
                "t41"."parent_command_line",
                "t41"."process_guid",
                "t41"."parent_process_guid",
                "t41"."user_sid",
                "t41"."user_name",
                "t41"."user_domain",
                "t41"."integrity",
                "t41"."telemetry",
                "t41"."f_key",
                "t41"."f_end"
              FROM (
                SELECT
                  "t42"."creation_key",
                  "t42"."c_host",
                  "t42"."c_time",
                  "t42"."c_logon",
                  "t42"."c_channel",
                  "t42"."c_record",
                  "t42"."c_name",
                  COALESCE("t42"."k_skew", 0) AS "c_skew",
                  COALESCE("t42"."k_tol", 5000000) AS "c_tol",
                  "t42"."c_time" - CASE
                    WHEN POSITION('sysmon' IN LOWER("t42"."c_channel")) > 0
                    THEN COALESCE("t42"."k_skew", 0)
                    ELSE 0
                  END AS "c_sec"
                FROM (
                  SELECT
                    "t17"."creation_key",
                    "t17"."c_host",
                    "t17"."c_time",
                    "t17"."c_logon",
                    "t17"."c_channel",
                    "t17"."c_record",
                    "t17"."c_name",
                    "t40"."k_host",
                    "t40"."k_skew",
                    "t40"."k_tol"
                  FROM (
                    SELECT
                      "t0"."event_key" AS "creation_key",
                      "t0"."host" AS "c_host",
                      "t0"."time_us" AS "c_time",
                      "t0"."creator_logon_id" AS "c_logon",
                      "t0"."channel" AS "c_channel",
                      "t0"."record_id" AS "c_record",
                      LOWER("t0"."account_name") AS "c_name"
                    FROM "acctrace_an1604_creation" AS "t0"
                  ) AS "t17"
                  LEFT OUTER JOIN (
                    SELECT
                      "t35"."host" AS "k_host",
                      CASE WHEN "t35"."pairs" >= 3 THEN "t35"."median_us" ELSE 0 END AS "k_skew",
                      CASE
                        WHEN "t35"."pairs" >= 3
                        THEN LEAST((
                          "t35"."high_us" - "t35"."low_us"
                        ) + 10000, 5000000)
                        ELSE 5000000
                      END AS "k_tol"
                    FROM (
                      SELECT
                        "t33"."host",
                        COUNT(*) AS "pairs",
                        CAST(PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY
                          "t33"."delta_us") AS BIGINT) AS "median_us",
                        MIN("t33"."delta_us") AS "low_us",
                        MAX("t33"."delta_us") AS "high_us"
                      FROM (
                        SELECT
                          "t32"."host",
                          "t32"."delta_us"
                        FROM (
                          SELECT
                            "t27"."event_key",
                            "t27"."host",
                            "t27"."host_name",
                            "t27"."time_us",
                            "t27"."record_id",
                            "t27"."event_id",
                            "t27"."channel",
                            "t27"."file",
                            "t27"."sha256",
                            "t27"."pid",
                            "t27"."parent_pid",
                            "t27"."logon_id",
                            "t27"."image",
                            "t27"."command_line",
                            "t27"."parent_image",
                            "t27"."parent_command_line",
                            "t27"."process_guid",
                            "t27"."parent_process_guid",
                            "t27"."user_sid",
                            "t27"."user_name",
                            "t27"."user_domain",
                            "t27"."integrity",
                            "t27"."telemetry",
                            "t27"."p_host",
                            "t27"."p_pid",
                            "t27"."p_image",
                            "t27"."p_time",
                            "t27"."p_key",
                            "t27"."delta_us",
                            ROW_NUMBER() OVER (
                              PARTITION BY "t27"."event_key"
                              ORDER BY ABS("t27"."delta_us") ASC, "t27"."p_key" ASC
                              ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                            ) - 1 AS "_rank"
                          FROM (
                            SELECT
                              "t25"."event_key",
                              "t25"."host",
                              "t25"."host_name",
                              "t25"."time_us",
                              "t25"."record_id",
                              "t25"."event_id",
                              "t25"."channel",
                              "t25"."file",
                              "t25"."sha256",
                              "t25"."pid",
                              "t25"."parent_pid",
                              "t25"."logon_id",
                              "t25"."image",
                              "t25"."command_line",
                              "t25"."parent_image",
                              "t25"."parent_command_line",
                              "t25"."process_guid",
                              "t25"."parent_process_guid",
                              "t25"."user_sid",
                              "t25"."user_name",
                              "t25"."user_domain",
                              "t25"."integrity",
                              "t25"."telemetry",
                              "t25"."p_host",
                              "t25"."p_pid",
                              "t25"."p_image",
                              "t25"."p_time",
                              "t25"."p_key",
                              "t25"."time_us" - "t25"."p_time" AS "delta_us"
                            FROM (
                              SELECT
                                "t19"."event_key",
                                "t19"."host",
                                "t19"."host_name",
                                "t19"."time_us",
                                "t19"."record_id",
                                "t19"."event_id",
                                "t19"."channel",
                                "t19"."file",
                                "t19"."sha256",
                                "t19"."pid",
                                "t19"."parent_pid",
                                "t19"."logon_id",
                                "t19"."image",
                                "t19"."command_line",
                                "t19"."parent_image",
                                "t19"."parent_command_line",
                                "t19"."process_guid",
                                "t19"."parent_process_guid",
                                "t19"."user_sid",
                                "t19"."user_name",
                                "t19"."user_domain",
                                "t19"."integrity",
                                "t19"."telemetry",
                                "t20"."p_host",
                                "t20"."p_pid",
                                "t20"."p_image",
                                "t20"."p_time",
                                "t20"."p_key"
                              FROM (
                                SELECT
                                  "t1"."event_key",
                                  "t1"."host",
                                  "t1"."host_name",
                                  "t1"."time_us",
                                  "t1"."record_id",
                                  "t1"."event_id",
                                  "t1"."channel",
                                  "t1"."file",
                                  "t1"."sha256",
                                  "t1"."pid",
                                  "t1"."parent_pid",
                                  "t1"."logon_id",
                                  "t1"."image",
                                  "t1"."command_line",
                                  "t1"."parent_image",
                                  "t1"."parent_command_line",
                                  "t1"."process_guid",
                                  "t1"."parent_process_guid",
                                  "t1"."user_sid",
                                  "t1"."user_name",
                                  "t1"."user_domain",
                                  "t1"."integrity",
                                  "t1"."telemetry"
                                FROM "process" AS "t1"
                                WHERE
                                  "t1"."telemetry" = 'sysmon-1'
                              ) AS "t19"
                              INNER JOIN (
                                SELECT
                                  "t1"."host" AS "p_host",
                                  "t1"."pid" AS "p_pid",
                                  LOWER("t1"."image") AS "p_image",
                                  "t1"."time_us" AS "p_time",
                                  "t1"."event_key" AS "p_key"
                                FROM "process" AS "t1"
                                WHERE
                                  "t1"."telemetry" = 'security-4688'
                              ) AS "t20"
                                ON "t19"."host" = "t20"."p_host"
                                AND "t19"."pid" = "t20"."p_pid"
                                AND LOWER("t19"."image") = "t20"."p_image"
                                AND ABS("t19"."time_us" - "t20"."p_time") <= 60000000
                            ) AS "t25"
                          ) AS "t27"
                        ) AS "t32"
                        WHERE
                          "t32"."_rank" = 0
                      ) AS "t33"
                      GROUP BY
                        1
                    ) AS "t35"
                  ) AS "t40"
                    ON "t17"."c_host" = "t40"."k_host"
                ) AS "t42"
              ) AS "t44"
              INNER JOIN (
                SELECT
                  "t31"."event_key",
                  "t31"."host",
                  "t31"."host_name",
                  "t31"."time_us",
                  "t31"."record_id",
                  "t31"."event_id",
                  "t31"."channel",
                  "t31"."file",
                  "t31"."sha256",
                  "t31"."pid",
                  "t31"."parent_pid",
                  "t31"."logon_id",
                  "t31"."image",
                  "t31"."command_line",
                  "t31"."parent_image",
                  "t31"."parent_command_line",
                  "t31"."process_guid",
                  "t31"."parent_process_guid",
                  "t31"."user_sid",
                  "t31"."user_name",
                  "t31"."user_domain",
                  "t31"."integrity",
                  "t31"."telemetry",
                  "t37"."f_key",
                  "t37"."f_end"
                FROM (
                  SELECT
                    "t1"."event_key",
                    "t1"."host",
                    "t1"."host_name",
                    "t1"."time_us",
                    "t1"."record_id",
                    "t1"."event_id",
                    "t1"."channel",
                    "t1"."file",
                    "t1"."sha256",
                    "t1"."pid",
                    "t1"."parent_pid",
                    "t1"."logon_id",
                    "t1"."image",
                    "t1"."command_line",
                    "t1"."parent_image",
                    "t1"."parent_command_line",
                    "t1"."process_guid",
                    "t1"."parent_process_guid",
                    "t1"."user_sid",
                    "t1"."user_name",
                    "t1"."user_domain",
                    "t1"."integrity",
                    "t1"."telemetry"
                  FROM "process" AS "t1"
                  WHERE
                    COALESCE(
                      REPLACE(LOWER("t1"."image"), '/', '\') IN (
                        'powershell.exe',
                        'pwsh.exe',
                        'powershell_ise.exe',
                        'wsmprovhost.exe',
                        'cscript.exe',
                        'wscript.exe',
                        'mshta.exe',
                        'wmiprvse.exe',
                        'mmc.exe',
                        'rundll32.exe',
                        'python.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\powershell.exe')) = '\powershell.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\pwsh.exe')) = '\pwsh.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\powershell_ise.exe')) = '\powershell_ise.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wsmprovhost.exe')) = '\wsmprovhost.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\cscript.exe')) = '\cscript.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wscript.exe')) = '\wscript.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\mshta.exe')) = '\mshta.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wmiprvse.exe')) = '\wmiprvse.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\mmc.exe')) = '\mmc.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\rundll32.exe')) = '\rundll32.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\python.exe')) = '\python.exe'
                      )
                      OR (
                        (
                          POSITION('\' IN REPLACE(LOWER("t1"."image"), '/', '\')) > 0
                        )
                        AND NOT (
                          FALSE
                          OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\system32\')
                          OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\syswow64\')
                          OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\')
                          OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\program files\')
                          OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\program files (x86)\')
                          OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), '%systemroot%\')
                          OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), '\systemroot\')
                        )
                      ),
                      FALSE
                    )
                ) AS "t31"
                LEFT OUTER JOIN (
                  SELECT
                    "t34"."event_key" AS "f_key",
                    MIN("t34"."e_time") AS "f_end"
                  FROM (
                    SELECT
                      "t31"."event_key",
                      "t31"."host",
                      "t31"."host_name",
                      "t31"."time_us",
                      "t31"."record_id",
                      "t31"."event_id",
                      "t31"."channel",
                      "t31"."file",
                      "t31"."sha256",
                      "t31"."pid",
                      "t31"."parent_pid",
                      "t31"."logon_id",
                      "t31"."image",
                      "t31"."command_line",
                      "t31"."parent_image",
                      "t31"."parent_command_line",
                      "t31"."process_guid",
                      "t31"."parent_process_guid",
                      "t31"."user_sid",
                      "t31"."user_name",
                      "t31"."user_domain",
                      "t31"."integrity",
                      "t31"."telemetry",
                      "t14"."e_host",
                      "t14"."e_pid",
                      "t14"."e_guid",
                      "t14"."e_time"
                    FROM (
                      SELECT
                        "t1"."event_key",
                        "t1"."host",
                        "t1"."host_name",
                        "t1"."time_us",
                        "t1"."record_id",
                        "t1"."event_id",
                        "t1"."channel",
                        "t1"."file",
                        "t1"."sha256",
                        "t1"."pid",
                        "t1"."parent_pid",
                        "t1"."logon_id",
                        "t1"."image",
                        "t1"."command_line",
                        "t1"."parent_image",
                        "t1"."parent_command_line",
                        "t1"."process_guid",
                        "t1"."parent_process_guid",
                        "t1"."user_sid",
                        "t1"."user_name",
                        "t1"."user_domain",
                        "t1"."integrity",
                        "t1"."telemetry"
                      FROM "process" AS "t1"
                      WHERE
                        COALESCE(
                          REPLACE(LOWER("t1"."image"), '/', '\') IN (
                            'powershell.exe',
                            'pwsh.exe',
                            'powershell_ise.exe',
                            'wsmprovhost.exe',
                            'cscript.exe',
                            'wscript.exe',
                            'mshta.exe',
                            'wmiprvse.exe',
                            'mmc.exe',
                            'rundll32.exe',
                            'python.exe'
                          )
                          OR (
                            RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\powershell.exe')) = '\powershell.exe'
                          )
                          OR (
                            RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\pwsh.exe')) = '\pwsh.exe'
                          )
                          OR (
                            RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\powershell_ise.exe')) = '\powershell_ise.exe'
                          )
                          OR (
                            RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wsmprovhost.exe')) = '\wsmprovhost.exe'
                          )
                          OR (
                            RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\cscript.exe')) = '\cscript.exe'
                          )
                          OR (
                            RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wscript.exe')) = '\wscript.exe'
                          )
                          OR (
                            RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\mshta.exe')) = '\mshta.exe'
                          )
                          OR (
                            RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wmiprvse.exe')) = '\wmiprvse.exe'
                          )
                          OR (
                            RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\mmc.exe')) = '\mmc.exe'
                          )
                          OR (
                            RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\rundll32.exe')) = '\rundll32.exe'
                          )
                          OR (
                            RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\python.exe')) = '\python.exe'
                          )
                          OR (
                            (
                              POSITION('\' IN REPLACE(LOWER("t1"."image"), '/', '\')) > 0
                            )
                            AND NOT (
                              FALSE
                              OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\system32\')
                              OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\syswow64\')
                              OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\')
                              OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\program files\')
                              OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\program files (x86)\')
                              OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), '%systemroot%\')
                              OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), '\systemroot\')
                            )
                          ),
                          FALSE
                        )
                    ) AS "t31"
                    INNER JOIN (
                      SELECT
                        "t2"."host" AS "e_host",
                        "t2"."pid" AS "e_pid",
                        "t2"."process_guid" AS "e_guid",
                        "t2"."time_us" AS "e_time"
                      FROM "process_end" AS "t2"
                    ) AS "t14"
                      ON "t31"."host" = "t14"."e_host"
                      AND "t31"."pid" = "t14"."e_pid"
                      AND (
                        (
                          "t31"."process_guid" IS NULL
                        )
                        OR (
                          "t14"."e_guid" IS NULL
                        )
                        OR (
                          "t31"."process_guid" = "t14"."e_guid"
                        )
                      )
                      AND "t14"."e_time" >= "t31"."time_us"
                  ) AS "t34"
                  GROUP BY
                    1
                ) AS "t37"
                  ON "t31"."event_key" = "t37"."f_key"
              ) AS "t41"
                ON "t44"."c_host" = "t41"."host"
                AND "t44"."c_logon" = "t41"."logon_id"
                AND "t41"."time_us" < (
                  (
                    "t44"."c_time" - 120000000
                  ) - (
                    ABS("t44"."c_skew") + "t44"."c_tol"
                  )
                )
            ) AS "t45"
            WHERE
              (
                "t45"."f_end" IS NULL
              )
              OR (
                "t45"."f_end" >= (
                  (
                    "t45"."c_time" - 120000000
                  ) - (
                    ABS("t45"."c_skew") + "t45"."c_tol"
                  )
                )
              )
          ) AS "t48"
        ) AS "t49"
        WHERE
          (
            (
              (
                "t49"."channel" = "t49"."c_channel"
              )
              AND (
                "t49"."record_id" IS NOT NULL
              )
              AND (
                "t49"."c_record" IS NOT NULL
              )
              AND (
                "t49"."record_id" < "t49"."c_record"
              )
            )
            OR (
              NOT (
                (
                  "t49"."channel" = "t49"."c_channel"
                )
                AND (
                  "t49"."record_id" IS NOT NULL
                )
                AND (
                  "t49"."c_record" IS NOT NULL
                )
              )
              AND (
                (
                  "t49"."time_us" - CASE
                    WHEN POSITION('sysmon' IN LOWER("t49"."channel")) > 0
                    THEN "t49"."c_skew"
                    ELSE 0
                  END
                ) <= (
                  "t49"."c_sec" + "t49"."c_tol"
                )
              )
            )
          )
          AND (
            (
              (
                "t49"."time_us" - CASE
                  WHEN POSITION('sysmon' IN LOWER("t49"."channel")) > 0
                  THEN "t49"."c_skew"
                  ELSE 0
                END
              ) >= (
                "t49"."c_sec" - 120000000
              )
            )
            OR COALESCE(
              REPLACE(LOWER("t49"."image"), '/', '\') IN (
                'powershell.exe',
                'pwsh.exe',
                'powershell_ise.exe',
                'wsmprovhost.exe',
                'cscript.exe',
                'wscript.exe',
                'mshta.exe',
                'wmiprvse.exe',
                'mmc.exe',
                'rundll32.exe',
                'python.exe'
              )
              OR (
                RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\powershell.exe')) = '\powershell.exe'
              )
              OR (
                RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\pwsh.exe')) = '\pwsh.exe'
              )
              OR (
                RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\powershell_ise.exe')) = '\powershell_ise.exe'
              )
              OR (
                RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\wsmprovhost.exe')) = '\wsmprovhost.exe'
              )
              OR (
                RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\cscript.exe')) = '\cscript.exe'
              )
              OR (
                RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\wscript.exe')) = '\wscript.exe'
              )
              OR (
                RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\mshta.exe')) = '\mshta.exe'
              )
              OR (
                RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\wmiprvse.exe')) = '\wmiprvse.exe'
              )
              OR (
                RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\mmc.exe')) = '\mmc.exe'
              )
              OR (
                RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\rundll32.exe')) = '\rundll32.exe'
              )
              OR (
                RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\python.exe')) = '\python.exe'
              )
              OR (
                (
                  POSITION('\' IN REPLACE(LOWER("t49"."image"), '/', '\')) > 0
                )
                AND NOT (
                  FALSE
                  OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), 'c:\windows\system32\')
                  OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), 'c:\windows\syswow64\')
                  OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), 'c:\windows\')
                  OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), 'c:\program files\')
                  OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), 'c:\program files (x86)\')
                  OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), '%systemroot%\')
                  OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), '\systemroot\')
                )
              ),
              FALSE
            )
          )
      ) AS "t56"
      WHERE
        NOT EXISTS(
          SELECT
            1
          FROM (
            SELECT DISTINCT
              "t59"."creation_key" AS "d_creation",
              "t59"."event_key" AS "d_key"
            FROM (
              SELECT
                "t56"."creation_key",
                "t56"."c_host",
                "t56"."c_time",
                "t56"."c_logon",
                "t56"."c_channel",
                "t56"."c_record",
                "t56"."c_name",
                "t56"."c_skew",
                "t56"."c_tol",
                "t56"."c_sec",
                "t56"."event_key",
                "t56"."host",
                "t56"."host_name",
                "t56"."time_us",
                "t56"."record_id",
                "t56"."event_id",
                "t56"."channel",
                "t56"."file",
                "t56"."sha256",
                "t56"."pid",
                "t56"."parent_pid",
                "t56"."logon_id",
                "t56"."image",
                "t56"."command_line",
                "t56"."parent_image",
                "t56"."parent_command_line",
                "t56"."process_guid",
                "t56"."parent_process_guid",
                "t56"."user_sid",
                "t56"."user_name",
                "t56"."user_domain",
                "t56"."integrity",
                "t56"."telemetry",
                "t56"."surely_before",
                "t56"."in_window",
                "t16"."e_host",
                "t16"."e_pid",
                "t16"."e_guid",
                "t16"."e_time",
                "t16"."e_channel",
                "t16"."e_record"
              FROM (
                SELECT
                  "t49"."creation_key",
                  "t49"."c_host",
                  "t49"."c_time",
                  "t49"."c_logon",
                  "t49"."c_channel",
                  "t49"."c_record",
                  "t49"."c_name",
                  "t49"."c_skew",
                  "t49"."c_tol",
                  "t49"."c_sec",
                  "t49"."event_key",
                  "t49"."host",
                  "t49"."host_name",
                  "t49"."time_us",
                  "t49"."record_id",
                  "t49"."event_id",
                  "t49"."channel",
                  "t49"."file",
                  "t49"."sha256",
                  "t49"."pid",
                  "t49"."parent_pid",
                  "t49"."logon_id",
                  "t49"."image",
                  "t49"."command_line",
                  "t49"."parent_image",
                  "t49"."parent_command_line",
                  "t49"."process_guid",
                  "t49"."parent_process_guid",
                  "t49"."user_sid",
                  "t49"."user_name",
                  "t49"."user_domain",
                  "t49"."integrity",
                  "t49"."telemetry",
                  (
                    (
                      "t49"."channel" = "t49"."c_channel"
                    )
                    AND (
                      "t49"."record_id" IS NOT NULL
                    )
                    AND (
                      "t49"."c_record" IS NOT NULL
                    )
                    AND (
                      "t49"."record_id" < "t49"."c_record"
                    )
                  )
                  OR (
                    NOT (
                      (
                        "t49"."channel" = "t49"."c_channel"
                      )
                      AND (
                        "t49"."record_id" IS NOT NULL
                      )
                      AND (
                        "t49"."c_record" IS NOT NULL
                      )
                    )
                    AND (
                      (
                        "t49"."time_us" - CASE
                          WHEN POSITION('sysmon' IN LOWER("t49"."channel")) > 0
                          THEN "t49"."c_skew"
                          ELSE 0
                        END
                      ) < (
                        "t49"."c_sec" - "t49"."c_tol"
                      )
                    )
                  ) AS "surely_before",
                  (
                    "t49"."time_us" - CASE
                      WHEN POSITION('sysmon' IN LOWER("t49"."channel")) > 0
                      THEN "t49"."c_skew"
                      ELSE 0
                    END
                  ) >= (
                    "t49"."c_sec" - 120000000
                  ) AS "in_window"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      "t44"."creation_key",
                      "t44"."c_host",
                      "t44"."c_time",
                      "t44"."c_logon",
                      "t44"."c_channel",
                      "t44"."c_record",
                      "t44"."c_name",
                      "t44"."c_skew",
                      "t44"."c_tol",
                      "t44"."c_sec",
                      "t4"."event_key",
                      "t4"."host",
                      "t4"."host_name",
                      "t4"."time_us",
                      "t4"."record_id",
                      "t4"."event_id",
                      "t4"."channel",
                      "t4"."file",
                      "t4"."sha256",
                      "t4"."pid",
                      "t4"."parent_pid",
                      "t4"."logon_id",
                      "t4"."image",
                      "t4"."command_line",
                      "t4"."parent_image",
                      "t4"."parent_command_line",
                      "t4"."process_guid",
                      "t4"."parent_process_guid",
                      "t4"."user_sid",
                      "t4"."user_name",
                      "t4"."user_domain",
                      "t4"."integrity",
                      "t4"."telemetry"
                    FROM (
                      SELECT
                        "t42"."creation_key",
                        "t42"."c_host",
                        "t42"."c_time",
                        "t42"."c_logon",
                        "t42"."c_channel",
                        "t42"."c_record",
                        "t42"."c_name",
                        COALESCE("t42"."k_skew", 0) AS "c_skew",
                        COALESCE("t42"."k_tol", 5000000) AS "c_tol",
                        "t42"."c_time" - CASE
                          WHEN POSITION('sysmon' IN LOWER("t42"."c_channel")) > 0
                          THEN COALESCE("t42"."k_skew", 0)
                          ELSE 0
                        END AS "c_sec"
                      FROM (
                        SELECT
                          "t17"."creation_key",
                          "t17"."c_host",
                          "t17"."c_time",
                          "t17"."c_logon",
                          "t17"."c_channel",
                          "t17"."c_record",
                          "t17"."c_name",
                          "t40"."k_host",
                          "t40"."k_skew",
                          "t40"."k_tol"
                        FROM (
                          SELECT
                            "t0"."event_key" AS "creation_key",
                            "t0"."host" AS "c_host",
                            "t0"."time_us" AS "c_time",
                            "t0"."creator_logon_id" AS "c_logon",
                            "t0"."channel" AS "c_channel",
                            "t0"."record_id" AS "c_record",
                            LOWER("t0"."account_name") AS "c_name"
                          FROM "acctrace_an1604_creation" AS "t0"
                        ) AS "t17"
                        LEFT OUTER JOIN (
                          SELECT
                            "t35"."host" AS "k_host",
                            CASE WHEN "t35"."pairs" >= 3 THEN "t35"."median_us" ELSE 0 END AS "k_skew",
                            CASE
                              WHEN "t35"."pairs" >= 3
                              THEN LEAST((
                                "t35"."high_us" - "t35"."low_us"
                              ) + 10000, 5000000)
                              ELSE 5000000
                            END AS "k_tol"
                          FROM (
                            SELECT
                              "t33"."host",
                              COUNT(*) AS "pairs",
                              CAST(PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY
                                "t33"."delta_us") AS BIGINT) AS "median_us",
                              MIN("t33"."delta_us") AS "low_us",
                              MAX("t33"."delta_us") AS "high_us"
                            FROM (
                              SELECT
                                "t32"."host",
                                "t32"."delta_us"
                              FROM (
                                SELECT
                                  "t27"."event_key",
                                  "t27"."host",
                                  "t27"."host_name",
                                  "t27"."time_us",
                                  "t27"."record_id",
                                  "t27"."event_id",
                                  "t27"."channel",
                                  "t27"."file",
                                  "t27"."sha256",
                                  "t27"."pid",
                                  "t27"."parent_pid",
                                  "t27"."logon_id",
                                  "t27"."image",
                                  "t27"."command_line",
                                  "t27"."parent_image",
                                  "t27"."parent_command_line",
                                  "t27"."process_guid",
                                  "t27"."parent_process_guid",
                                  "t27"."user_sid",
                                  "t27"."user_name",
                                  "t27"."user_domain",
                                  "t27"."integrity",
                                  "t27"."telemetry",
                                  "t27"."p_host",
                                  "t27"."p_pid",
                                  "t27"."p_image",
                                  "t27"."p_time",
                                  "t27"."p_key",
                                  "t27"."delta_us",
                                  ROW_NUMBER() OVER (
                                    PARTITION BY "t27"."event_key"
                                    ORDER BY ABS("t27"."delta_us") ASC, "t27"."p_key" ASC
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                                  ) - 1 AS "_rank"
                                FROM (
                                  SELECT
                                    "t25"."event_key",
                                    "t25"."host",
                                    "t25"."host_name",
                                    "t25"."time_us",
                                    "t25"."record_id",
                                    "t25"."event_id",
                                    "t25"."channel",
                                    "t25"."file",
                                    "t25"."sha256",
                                    "t25"."pid",
                                    "t25"."parent_pid",
                                    "t25"."logon_id",
                                    "t25"."image",
                                    "t25"."command_line",
                                    "t25"."parent_image",
                                    "t25"."parent_command_line",
                                    "t25"."process_guid",
                                    "t25"."parent_process_guid",
                                    "t25"."user_sid",
                                    "t25"."user_name",
                                    "t25"."user_domain",
                                    "t25"."integrity",
                                    "t25"."telemetry",
                                    "t25"."p_host",
                                    "t25"."p_pid",
                                    "t25"."p_image",
                                    "t25"."p_time",
                                    "t25"."p_key",
                                    "t25"."time_us" - "t25"."p_time" AS "delta_us"
                                  FROM (
                                    SELECT
                                      "t19"."event_key",
                                      "t19"."host",
                                      "t19"."host_name",
                                      "t19"."time_us",
                                      "t19"."record_id",
                                      "t19"."event_id",
                                      "t19"."channel",
                                      "t19"."file",
                                      "t19"."sha256",
                                      "t19"."pid",
                                      "t19"."parent_pid",
                                      "t19"."logon_id",
                                      "t19"."image",
                                      "t19"."command_line",
                                      "t19"."parent_image",
                                      "t19"."parent_command_line",
                                      "t19"."process_guid",
                                      "t19"."parent_process_guid",
                                      "t19"."user_sid",
                                      "t19"."user_name",
                                      "t19"."user_domain",
                                      "t19"."integrity",
                                      "t19"."telemetry",
                                      "t20"."p_host",
                                      "t20"."p_pid",
                                      "t20"."p_image",
                                      "t20"."p_time",
                                      "t20"."p_key"
                                    FROM (
                                      SELECT
                                        "t1"."event_key",
                                        "t1"."host",
                                        "t1"."host_name",
                                        "t1"."time_us",
                                        "t1"."record_id",
                                        "t1"."event_id",
                                        "t1"."channel",
                                        "t1"."file",
                                        "t1"."sha256",
                                        "t1"."pid",
                                        "t1"."parent_pid",
                                        "t1"."logon_id",
                                        "t1"."image",
                                        "t1"."command_line",
                                        "t1"."parent_image",
                                        "t1"."parent_command_line",
                                        "t1"."process_guid",
                                        "t1"."parent_process_guid",
                                        "t1"."user_sid",
                                        "t1"."user_name",
                                        "t1"."user_domain",
                                        "t1"."integrity",
                                        "t1"."telemetry"
                                      FROM "process" AS "t1"
                                      WHERE
                                        "t1"."telemetry" = 'sysmon-1'
                                    ) AS "t19"
                                    INNER JOIN (
                                      SELECT
                                        "t1"."host" AS "p_host",
                                        "t1"."pid" AS "p_pid",
                                        LOWER("t1"."image") AS "p_image",
                                        "t1"."time_us" AS "p_time",
                                        "t1"."event_key" AS "p_key"
                                      FROM "process" AS "t1"
                                      WHERE
                                        "t1"."telemetry" = 'security-4688'
                                    ) AS "t20"
                                      ON "t19"."host" = "t20"."p_host"
                                      AND "t19"."pid" = "t20"."p_pid"
                                      AND LOWER("t19"."image") = "t20"."p_image"
                                      AND ABS("t19"."time_us" - "t20"."p_time") <= 60000000
                                  ) AS "t25"
                                ) AS "t27"
                              ) AS "t32"
                              WHERE
                                "t32"."_rank" = 0
                            ) AS "t33"
                            GROUP BY
                              1
                          ) AS "t35"
                        ) AS "t40"
                          ON "t17"."c_host" = "t40"."k_host"
                      ) AS "t42"
                    ) AS "t44"
                    INNER JOIN "process" AS "t4"
                      ON "t44"."c_host" = "t4"."host"
                      AND "t44"."c_logon" = "t4"."logon_id"
                      AND "t4"."time_us" >= (
                        (
                          "t44"."c_time" - 120000000
                        ) - (
                          ABS("t44"."c_skew") + "t44"."c_tol"
                        )
                      )
                      AND "t4"."time_us" <= (
                        "t44"."c_time" + (
                          ABS("t44"."c_skew") + "t44"."c_tol"
                        )
                      )
                  ) AS "t47"
                  UNION ALL
                  SELECT
                    *
                  FROM (
                    SELECT
                      "t45"."creation_key",
                      "t45"."c_host",
                      "t45"."c_time",
                      "t45"."c_logon",
                      "t45"."c_channel",
                      "t45"."c_record",
                      "t45"."c_name",
                      "t45"."c_skew",
                      "t45"."c_tol",
                      "t45"."c_sec",
                      "t45"."event_key",
                      "t45"."host",
                      "t45"."host_name",
                      "t45"."time_us",
                      "t45"."record_id",
                      "t45"."event_id",
                      "t45"."channel",
                      "t45"."file",
                      "t45"."sha256",
                      "t45"."pid",
                      "t45"."parent_pid",
                      "t45"."logon_id",
                      "t45"."image",
                      "t45"."command_line",
                      "t45"."parent_image",
                      "t45"."parent_command_line",
                      "t45"."process_guid",
                      "t45"."parent_process_guid",
                      "t45"."user_sid",
                      "t45"."user_name",
                      "t45"."user_domain",
                      "t45"."integrity",
                      "t45"."telemetry"
                    FROM (
                      SELECT
                        "t44"."creation_key",
                        "t44"."c_host",
                        "t44"."c_time",
                        "t44"."c_logon",
                        "t44"."c_channel",
                        "t44"."c_record",
                        "t44"."c_name",
                        "t44"."c_skew",
                        "t44"."c_tol",
                        "t44"."c_sec",
                        "t41"."event_key",
                        "t41"."host",
                        "t41"."host_name",
                        "t41"."time_us",
                        "t41"."record_id",
                        "t41"."event_id",
                        "t41"."channel",
                        "t41"."file",
                        "t41"."sha256",
                        "t41"."pid",
                        "t41"."parent_pid",
                        "t41"."logon_id",
                        "t41"."image",
                        "t41"."command_line",
                        "t41"."parent_image",
                        "t41"."parent_command_line",
                        "t41"."process_guid",
                        "t41"."parent_process_guid",
                        "t41"."user_sid",
                        "t41"."user_name",
                        "t41"."user_domain",
                        "t41"."integrity",
                        "t41"."telemetry",
                        "t41"."f_key",
                        "t41"."f_end"
                      FROM (
                        SELECT
                          "t42"."creation_key",
                          "t42"."c_host",
                          "t42"."c_time",
                          "t42"."c_logon",
                          "t42"."c_channel",
                          "t42"."c_record",
                          "t42"."c_name",
                          COALESCE("t42"."k_skew", 0) AS "c_skew",
                          COALESCE("t42"."k_tol", 5000000) AS "c_tol",
                          "t42"."c_time" - CASE
                            WHEN POSITION('sysmon' IN LOWER("t42"."c_channel")) > 0
                            THEN COALESCE("t42"."k_skew", 0)
                            ELSE 0
                          END AS "c_sec"
                        FROM (
                          SELECT
                            "t17"."creation_key",
                            "t17"."c_host",
                            "t17"."c_time",
                            "t17"."c_logon",
                            "t17"."c_channel",
                            "t17"."c_record",
                            "t17"."c_name",
                            "t40"."k_host",
                            "t40"."k_skew",
                            "t40"."k_tol"
                          FROM (
                            SELECT
                              "t0"."event_key" AS "creation_key",
                              "t0"."host" AS "c_host",
                              "t0"."time_us" AS "c_time",
                              "t0"."creator_logon_id" AS "c_logon",
                              "t0"."channel" AS "c_channel",
                              "t0"."record_id" AS "c_record",
                              LOWER("t0"."account_name") AS "c_name"
                            FROM "acctrace_an1604_creation" AS "t0"
                          ) AS "t17"
                          LEFT OUTER JOIN (
                            SELECT
                              "t35"."host" AS "k_host",
                              CASE WHEN "t35"."pairs" >= 3 THEN "t35"."median_us" ELSE 0 END AS "k_skew",
                              CASE
                                WHEN "t35"."pairs" >= 3
                                THEN LEAST((
                                  "t35"."high_us" - "t35"."low_us"
                                ) + 10000, 5000000)
                                ELSE 5000000
                              END AS "k_tol"
                            FROM (
                              SELECT
                                "t33"."host",
                                COUNT(*) AS "pairs",
                                CAST(PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY
                                  "t33"."delta_us") AS BIGINT) AS "median_us",
                                MIN("t33"."delta_us") AS "low_us",
                                MAX("t33"."delta_us") AS "high_us"
                              FROM (
                                SELECT
                                  "t32"."host",
                                  "t32"."delta_us"
                                FROM (
                                  SELECT
                                    "t27"."event_key",
                                    "t27"."host",
                                    "t27"."host_name",
                                    "t27"."time_us",
                                    "t27"."record_id",
                                    "t27"."event_id",
                                    "t27"."channel",
                                    "t27"."file",
                                    "t27"."sha256",
                                    "t27"."pid",
                                    "t27"."parent_pid",
                                    "t27"."logon_id",
                                    "t27"."image",
                                    "t27"."command_line",
                                    "t27"."parent_image",
                                    "t27"."parent_command_line",
                                    "t27"."process_guid",
                                    "t27"."parent_process_guid",
                                    "t27"."user_sid",
                                    "t27"."user_name",
                                    "t27"."user_domain",
                                    "t27"."integrity",
                                    "t27"."telemetry",
                                    "t27"."p_host",
                                    "t27"."p_pid",
                                    "t27"."p_image",
                                    "t27"."p_time",
                                    "t27"."p_key",
                                    "t27"."delta_us",
                                    ROW_NUMBER() OVER (
                                      PARTITION BY "t27"."event_key"
                                      ORDER BY ABS("t27"."delta_us") ASC, "t27"."p_key" ASC
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                                    ) - 1 AS "_rank"
                                  FROM (
                                    SELECT
                                      "t25"."event_key",
                                      "t25"."host",
                                      "t25"."host_name",
                                      "t25"."time_us",
                                      "t25"."record_id",
                                      "t25"."event_id",
                                      "t25"."channel",
                                      "t25"."file",
                                      "t25"."sha256",
                                      "t25"."pid",
                                      "t25"."parent_pid",
                                      "t25"."logon_id",
                                      "t25"."image",
                                      "t25"."command_line",
                                      "t25"."parent_image",
                                      "t25"."parent_command_line",
                                      "t25"."process_guid",
                                      "t25"."parent_process_guid",
                                      "t25"."user_sid",
                                      "t25"."user_name",
                                      "t25"."user_domain",
                                      "t25"."integrity",
                                      "t25"."telemetry",
                                      "t25"."p_host",
                                      "t25"."p_pid",
                                      "t25"."p_image",
                                      "t25"."p_time",
                                      "t25"."p_key",
                                      "t25"."time_us" - "t25"."p_time" AS "delta_us"
                                    FROM (
                                      SELECT
                                        "t19"."event_key",
                                        "t19"."host",
                                        "t19"."host_name",
                                        "t19"."time_us",
                                        "t19"."record_id",
                                        "t19"."event_id",
                                        "t19"."channel",
                                        "t19"."file",
                                        "t19"."sha256",
                                        "t19"."pid",
                                        "t19"."parent_pid",
                                        "t19"."logon_id",
                                        "t19"."image",
                                        "t19"."command_line",
                                        "t19"."parent_image",
                                        "t19"."parent_command_line",
                                        "t19"."process_guid",
                                        "t19"."parent_process_guid",
                                        "t19"."user_sid",
                                        "t19"."user_name",
                                        "t19"."user_domain",
                                        "t19"."integrity",
                                        "t19"."telemetry",
                                        "t20"."p_host",
                                        "t20"."p_pid",
                                        "t20"."p_image",
                                        "t20"."p_time",
                                        "t20"."p_key"
                                      FROM (
                                        SELECT
                                          "t1"."event_key",
                                          "t1"."host",
                                          "t1"."host_name",
                                          "t1"."time_us",
                                          "t1"."record_id",
                                          "t1"."event_id",
                                          "t1"."channel",
                                          "t1"."file",
                                          "t1"."sha256",
                                          "t1"."pid",
                                          "t1"."parent_pid",
                                          "t1"."logon_id",
                                          "t1"."image",
                                          "t1"."command_line",
                                          "t1"."parent_image",
                                          "t1"."parent_command_line",
                                          "t1"."process_guid",
                                          "t1"."parent_process_guid",
                                          "t1"."user_sid",
                                          "t1"."user_name",
                                          "t1"."user_domain",
                                          "t1"."integrity",
                                          "t1"."telemetry"
                                        FROM "process" AS "t1"
                                        WHERE
                                          "t1"."telemetry" = 'sysmon-1'
                                      ) AS "t19"
                                      INNER JOIN (
                                        SELECT
                                          "t1"."host" AS "p_host",
                                          "t1"."pid" AS "p_pid",
                                          LOWER("t1"."image") AS "p_image",
                                          "t1"."time_us" AS "p_time",
                                          "t1"."event_key" AS "p_key"
                                        FROM "process" AS "t1"
                                        WHERE
                                          "t1"."telemetry" = 'security-4688'
                                      ) AS "t20"
                                        ON "t19"."host" = "t20"."p_host"
                                        AND "t19"."pid" = "t20"."p_pid"
                                        AND LOWER("t19"."image") = "t20"."p_image"
                                        AND ABS("t19"."time_us" - "t20"."p_time") <= 60000000
                                    ) AS "t25"
                                  ) AS "t27"
                                ) AS "t32"
                                WHERE
                                  "t32"."_rank" = 0
                              ) AS "t33"
                              GROUP BY
                                1
                            ) AS "t35"
                          ) AS "t40"
                            ON "t17"."c_host" = "t40"."k_host"
                        ) AS "t42"
                      ) AS "t44"
                      INNER JOIN (
                        SELECT
                          "t31"."event_key",
                          "t31"."host",
                          "t31"."host_name",
                          "t31"."time_us",
                          "t31"."record_id",
                          "t31"."event_id",
                          "t31"."channel",
                          "t31"."file",
                          "t31"."sha256",
                          "t31"."pid",
                          "t31"."parent_pid",
                          "t31"."logon_id",
                          "t31"."image",
                          "t31"."command_line",
                          "t31"."parent_image",
                          "t31"."parent_command_line",
                          "t31"."process_guid",
                          "t31"."parent_process_guid",
                          "t31"."user_sid",
                          "t31"."user_name",
                          "t31"."user_domain",
                          "t31"."integrity",
                          "t31"."telemetry",
                          "t37"."f_key",
                          "t37"."f_end"
                        FROM (
                          SELECT
                            "t1"."event_key",
                            "t1"."host",
                            "t1"."host_name",
                            "t1"."time_us",
                            "t1"."record_id",
                            "t1"."event_id",
                            "t1"."channel",
                            "t1"."file",
                            "t1"."sha256",
                            "t1"."pid",
                            "t1"."parent_pid",
                            "t1"."logon_id",
                            "t1"."image",
                            "t1"."command_line",
                            "t1"."parent_image",
                            "t1"."parent_command_line",
                            "t1"."process_guid",
                            "t1"."parent_process_guid",
                            "t1"."user_sid",
                            "t1"."user_name",
                            "t1"."user_domain",
                            "t1"."integrity",
                            "t1"."telemetry"
                          FROM "process" AS "t1"
                          WHERE
                            COALESCE(
                              REPLACE(LOWER("t1"."image"), '/', '\') IN (
                                'powershell.exe',
                                'pwsh.exe',
                                'powershell_ise.exe',
                                'wsmprovhost.exe',
                                'cscript.exe',
                                'wscript.exe',
                                'mshta.exe',
                                'wmiprvse.exe',
                                'mmc.exe',
                                'rundll32.exe',
                                'python.exe'
                              )
                              OR (
                                RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\powershell.exe')) = '\powershell.exe'
                              )
                              OR (
                                RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\pwsh.exe')) = '\pwsh.exe'
                              )
                              OR (
                                RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\powershell_ise.exe')) = '\powershell_ise.exe'
                              )
                              OR (
                                RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wsmprovhost.exe')) = '\wsmprovhost.exe'
                              )
                              OR (
                                RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\cscript.exe')) = '\cscript.exe'
                              )
                              OR (
                                RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wscript.exe')) = '\wscript.exe'
                              )
                              OR (
                                RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\mshta.exe')) = '\mshta.exe'
                              )
                              OR (
                                RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wmiprvse.exe')) = '\wmiprvse.exe'
                              )
                              OR (
                                RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\mmc.exe')) = '\mmc.exe'
                              )
                              OR (
                                RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\rundll32.exe')) = '\rundll32.exe'
                              )
                              OR (
                                RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\python.exe')) = '\python.exe'
                              )
                              OR (
                                (
                                  POSITION('\' IN REPLACE(LOWER("t1"."image"), '/', '\')) > 0
                                )
                                AND NOT (
                                  FALSE
                                  OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\system32\')
                                  OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\syswow64\')
                                  OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\')
                                  OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\program files\')
                                  OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\program files (x86)\')
                                  OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), '%systemroot%\')
                                  OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), '\systemroot\')
                                )
                              ),
                              FALSE
                            )
                        ) AS "t31"
                        LEFT OUTER JOIN (
                          SELECT
                            "t34"."event_key" AS "f_key",
                            MIN("t34"."e_time") AS "f_end"
                          FROM (
                            SELECT
                              "t31"."event_key",
                              "t31"."host",
                              "t31"."host_name",
                              "t31"."time_us",
                              "t31"."record_id",
                              "t31"."event_id",
                              "t31"."channel",
                              "t31"."file",
                              "t31"."sha256",
                              "t31"."pid",
                              "t31"."parent_pid",
                              "t31"."logon_id",
                              "t31"."image",
                              "t31"."command_line",
                              "t31"."parent_image",
                              "t31"."parent_command_line",
                              "t31"."process_guid",
                              "t31"."parent_process_guid",
                              "t31"."user_sid",
                              "t31"."user_name",
                              "t31"."user_domain",
                              "t31"."integrity",
                              "t31"."telemetry",
                              "t14"."e_host",
                              "t14"."e_pid",
                              "t14"."e_guid",
                              "t14"."e_time"
                            FROM (
                              SELECT
                                "t1"."event_key",
                                "t1"."host",
                                "t1"."host_name",
                                "t1"."time_us",
                                "t1"."record_id",
                                "t1"."event_id",
                                "t1"."channel",
                                "t1"."file",
                                "t1"."sha256",
                                "t1"."pid",
                                "t1"."parent_pid",
                                "t1"."logon_id",
                                "t1"."image",
                                "t1"."command_line",
                                "t1"."parent_image",
                                "t1"."parent_command_line",
                                "t1"."process_guid",
                                "t1"."parent_process_guid",
                                "t1"."user_sid",
                                "t1"."user_name",
                                "t1"."user_domain",
                                "t1"."integrity",
                                "t1"."telemetry"
                              FROM "process" AS "t1"
                              WHERE
                                COALESCE(
                                  REPLACE(LOWER("t1"."image"), '/', '\') IN (
                                    'powershell.exe',
                                    'pwsh.exe',
                                    'powershell_ise.exe',
                                    'wsmprovhost.exe',
                                    'cscript.exe',
                                    'wscript.exe',
                                    'mshta.exe',
                                    'wmiprvse.exe',
                                    'mmc.exe',
                                    'rundll32.exe',
                                    'python.exe'
                                  )
                                  OR (
                                    RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\powershell.exe')) = '\powershell.exe'
                                  )
                                  OR (
                                    RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\pwsh.exe')) = '\pwsh.exe'
                                  )
                                  OR (
                                    RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\powershell_ise.exe')) = '\powershell_ise.exe'
                                  )
                                  OR (
                                    RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wsmprovhost.exe')) = '\wsmprovhost.exe'
                                  )
                                  OR (
                                    RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\cscript.exe')) = '\cscript.exe'
                                  )
                                  OR (
                                    RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wscript.exe')) = '\wscript.exe'
                                  )
                                  OR (
                                    RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\mshta.exe')) = '\mshta.exe'
                                  )
                                  OR (
                                    RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\wmiprvse.exe')) = '\wmiprvse.exe'
                                  )
                                  OR (
                                    RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\mmc.exe')) = '\mmc.exe'
                                  )
                                  OR (
                                    RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\rundll32.exe')) = '\rundll32.exe'
                                  )
                                  OR (
                                    RIGHT(REPLACE(LOWER("t1"."image"), '/', '\'), LENGTH('\python.exe')) = '\python.exe'
                                  )
                                  OR (
                                    (
                                      POSITION('\' IN REPLACE(LOWER("t1"."image"), '/', '\')) > 0
                                    )
                                    AND NOT (
                                      FALSE
                                      OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\system32\')
                                      OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\syswow64\')
                                      OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\windows\')
                                      OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\program files\')
                                      OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), 'c:\program files (x86)\')
                                      OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), '%systemroot%\')
                                      OR STARTS_WITH(REPLACE(LOWER("t1"."image"), '/', '\'), '\systemroot\')
                                    )
                                  ),
                                  FALSE
                                )
                            ) AS "t31"
                            INNER JOIN (
                              SELECT
                                "t2"."host" AS "e_host",
                                "t2"."pid" AS "e_pid",
                                "t2"."process_guid" AS "e_guid",
                                "t2"."time_us" AS "e_time"
                              FROM "process_end" AS "t2"
                            ) AS "t14"
                              ON "t31"."host" = "t14"."e_host"
                              AND "t31"."pid" = "t14"."e_pid"
                              AND (
                                (
                                  "t31"."process_guid" IS NULL
                                )
                                OR (
                                  "t14"."e_guid" IS NULL
                                )
                                OR (
                                  "t31"."process_guid" = "t14"."e_guid"
                                )
                              )
                              AND "t14"."e_time" >= "t31"."time_us"
                          ) AS "t34"
                          GROUP BY
                            1
                        ) AS "t37"
                          ON "t31"."event_key" = "t37"."f_key"
                      ) AS "t41"
                        ON "t44"."c_host" = "t41"."host"
                        AND "t44"."c_logon" = "t41"."logon_id"
                        AND "t41"."time_us" < (
                          (
                            "t44"."c_time" - 120000000
                          ) - (
                            ABS("t44"."c_skew") + "t44"."c_tol"
                          )
                        )
                    ) AS "t45"
                    WHERE
                      (
                        "t45"."f_end" IS NULL
                      )
                      OR (
                        "t45"."f_end" >= (
                          (
                            "t45"."c_time" - 120000000
                          ) - (
                            ABS("t45"."c_skew") + "t45"."c_tol"
                          )
                        )
                      )
                  ) AS "t48"
                ) AS "t49"
                WHERE
                  (
                    (
                      (
                        "t49"."channel" = "t49"."c_channel"
                      )
                      AND (
                        "t49"."record_id" IS NOT NULL
                      )
                      AND (
                        "t49"."c_record" IS NOT NULL
                      )
                      AND (
                        "t49"."record_id" < "t49"."c_record"
                      )
                    )
                    OR (
                      NOT (
                        (
                          "t49"."channel" = "t49"."c_channel"
                        )
                        AND (
                          "t49"."record_id" IS NOT NULL
                        )
                        AND (
                          "t49"."c_record" IS NOT NULL
                        )
                      )
                      AND (
                        (
                          "t49"."time_us" - CASE
                            WHEN POSITION('sysmon' IN LOWER("t49"."channel")) > 0
                            THEN "t49"."c_skew"
                            ELSE 0
                          END
                        ) <= (
                          "t49"."c_sec" + "t49"."c_tol"
                        )
                      )
                    )
                  )
                  AND (
                    (
                      (
                        "t49"."time_us" - CASE
                          WHEN POSITION('sysmon' IN LOWER("t49"."channel")) > 0
                          THEN "t49"."c_skew"
                          ELSE 0
                        END
                      ) >= (
                        "t49"."c_sec" - 120000000
                      )
                    )
                    OR COALESCE(
                      REPLACE(LOWER("t49"."image"), '/', '\') IN (
                        'powershell.exe',
                        'pwsh.exe',
                        'powershell_ise.exe',
                        'wsmprovhost.exe',
                        'cscript.exe',
                        'wscript.exe',
                        'mshta.exe',
                        'wmiprvse.exe',
                        'mmc.exe',
                        'rundll32.exe',
                        'python.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\powershell.exe')) = '\powershell.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\pwsh.exe')) = '\pwsh.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\powershell_ise.exe')) = '\powershell_ise.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\wsmprovhost.exe')) = '\wsmprovhost.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\cscript.exe')) = '\cscript.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\wscript.exe')) = '\wscript.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\mshta.exe')) = '\mshta.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\wmiprvse.exe')) = '\wmiprvse.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\mmc.exe')) = '\mmc.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\rundll32.exe')) = '\rundll32.exe'
                      )
                      OR (
                        RIGHT(REPLACE(LOWER("t49"."image"), '/', '\'), LENGTH('\python.exe')) = '\python.exe'
                      )
                      OR (
                        (
                          POSITION('\' IN REPLACE(LOWER("t49"."image"), '/', '\')) > 0
                        )
                        AND NOT (
                          FALSE
                          OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), 'c:\windows\system32\')
                          OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), 'c:\windows\syswow64\')
                          OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), 'c:\windows\')
                          OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), 'c:\program files\')
                          OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), 'c:\program files (x86)\')
                          OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), '%systemroot%\')
                          OR STARTS_WITH(REPLACE(LOWER("t49"."image"), '/', '\'), '\systemroot\')
                        )
                      ),
                      FALSE
                    )
                  )
              ) AS "t56"
              INNER JOIN (
                SELECT
                  "t2"."host" AS "e_host",
                  "t2"."pid" AS "e_pid",
                  "t2"."process_guid" AS "e_guid",
                  "t2"."time_us" AS "e_time",
                  "t2"."channel" AS "e_channel",
                  "t2"."record_id" AS "e_record"
                FROM "process_end" AS "t2"
              ) AS "t16"
                ON "t56"."host" = "t16"."e_host"
                AND "t56"."pid" = "t16"."e_pid"
                AND (
                  (
                    "t56"."process_guid" IS NULL
                  )
                  OR (
                    "t16"."e_guid" IS NULL
                  )
                  OR (
                    "t56"."process_guid" = "t16"."e_guid"
                  )
                )
                AND "t16"."e_time" >= "t56"."time_us"
            ) AS "t59"
            WHERE
              (
                (
                  "t59"."e_channel" = "t59"."c_channel"
                )
                AND (
                  "t59"."e_record" IS NOT NULL
                )
                AND (
                  "t59"."c_record" IS NOT NULL
                )
                AND (
                  "t59"."e_record" < "t59"."c_record"
                )
              )
              OR (
                NOT (
                  (
                    "t59"."e_channel" = "t59"."c_channel"
                  )
                  AND (
                    "t59"."e_record" IS NOT NULL
                  )
                  AND (
                    "t59"."c_record" IS NOT NULL
                  )
                )
                AND (
                  (
                    "t59"."e_time" - CASE
                      WHEN POSITION('sysmon' IN LOWER("t59"."e_channel")) > 0
                      THEN "t59"."c_skew"
                      ELSE 0
                    END
                  ) < (
                    "t59"."c_sec" - "t59"."c_tol"
                  )
                )
              )
          ) AS "t61"
          WHERE
            "t56"."creation_key" = "t61"."d_creation" AND "t56"."event_key" = "t61"."d_key"
        )
    ) AS "t62"
  ) AS "t63"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t57"."creation_key",
      "t57"."c_time",
      "t57"."event_key",
      "t57"."host",
      "t57"."host_name",
      "t57"."time_us",
      "t57"."record_id",
      "t57"."event_id",
      "t57"."channel",
      "t57"."file",
      "t57"."sha256",
      "t57"."pid",
      "t57"."parent_pid",
      "t57"."logon_id",
      "t57"."image",
      "t57"."command_line",
      "t57"."parent_image",
      "t57"."parent_command_line",
      "t57"."process_guid",
      "t57"."parent_process_guid",
      "t57"."user_sid",
      "t57"."user_name",
      "t57"."user_domain",
      "t57"."integrity",
      "t57"."telemetry",
      "t57"."surely_before",
      "t57"."in_window"
    FROM (
      SELECT
        "t51"."creation_key",
        "t51"."c_host",
        "t51"."c_time",
        "t51"."c_logon",
        "t51"."c_channel",
        "t51"."c_record",
        "t51"."c_name",
        "t51"."c_skew",
        "t51"."c_tol",
        "t51"."c_sec",
        "t51"."event_key",
        "t51"."host",
        "t51"."host_name",
        "t51"."time_us",
        "t51"."record_id",
        "t51"."event_id",
        "t51"."channel",
        "t51"."file",
        "t51"."sha256",
        "t51"."pid",
        "t51"."parent_pid",
        "t51"."logon_id",
        "t51"."image",
        "t51"."command_line",
        "t51"."parent_image",
        "t51"."parent_command_line",
        "t51"."process_guid",
        "t51"."parent_process_guid",
        "t51"."user_sid",
        "t51"."user_name",
        "t51"."user_domain",
        "t51"."integrity",
        "t51"."telemetry",
        "t51"."surely_before",
        "t51"."in_window"
      FROM (
        SELECT
          "t46"."creation_key",
          "t46"."c_host",
          "t46"."c_time",
          "t46"."c_logon",
          "t46"."c_channel",
          "t46"."c_record",
          "t46"."c_name",
          "t46"."c_skew",
          "t46"."c_tol",
          "t46"."c_sec",
          "t46"."event_key",
          "t46"."host",
          "t46"."host_name",
          "t46"."time_us",
          "t46"."record_id",
          "t46"."event_id",
          "t46"."channel",
          "t46"."file",
          "t46"."sha256",
          "t46"."pid",
          "t46"."parent_pid",
          "t46"."logon_id",
          "t46"."image",
          "t46"."command_line",
          "t46"."parent_image",
          "t46"."parent_command_line",
          "t46"."process_guid",
          "t46"."parent_process_guid",
          "t46"."user_sid",
          "t46"."user_name",
          "t46"."user_domain",
          "t46"."integrity",
          "t46"."telemetry",
          (
            (
              "t46"."channel" = "t46"."c_channel"
            )
            AND (
              "t46"."record_id" IS NOT NULL
            )
            AND (
              "t46"."c_record" IS NOT NULL
            )
            AND (
              "t46"."record_id" < "t46"."c_record"
            )
          )
          OR (
            NOT (
              (
                "t46"."channel" = "t46"."c_channel"
              )
              AND (
                "t46"."record_id" IS NOT NULL
              )
              AND (
                "t46"."c_record" IS NOT NULL
              )
            )
            AND (
              (
                "t46"."time_us" - CASE
                  WHEN POSITION('sysmon' IN LOWER("t46"."channel")) > 0
                  THEN "t46"."c_skew"
                  ELSE 0
                END
              ) < (
                "t46"."c_sec" - "t46"."c_tol"
              )
            )
          ) AS "surely_before",
          (
            "t46"."time_us" - CASE
              WHEN POSITION('sysmon' IN LOWER("t46"."channel")) > 0
              THEN "t46"."c_skew"
              ELSE 0
            END
          ) >= (
            "t46"."c_sec" - 120000000
          ) AS "in_window"
        FROM (
          SELECT
            "t44"."creation_key",
            "t44"."c_host",
            "t44"."c_time",
            "t44"."c_logon",
            "t44"."c_channel",
            "t44"."c_record",
            "t44"."c_name",
            "t44"."c_skew",
            "t44"."c_tol",
            "t44"."c_sec",
            "t4"."event_key",
            "t4"."host",
            "t4"."host_name",
            "t4"."time_us",
            "t4"."record_id",
            "t4"."event_id",
            "t4"."channel",
            "t4"."file",
            "t4"."sha256",
            "t4"."pid",
            "t4"."parent_pid",
            "t4"."logon_id",
            "t4"."image",
            "t4"."command_line",
            "t4"."parent_image",
            "t4"."parent_command_line",
            "t4"."process_guid",
            "t4"."parent_process_guid",
            "t4"."user_sid",
            "t4"."user_name",
            "t4"."user_domain",
            "t4"."integrity",
            "t4"."telemetry"
          FROM (
            SELECT
              "t42"."creation_key",
              "t42"."c_host",
              "t42"."c_time",
              "t42"."c_logon",
              "t42"."c_channel",
              "t42"."c_record",
              "t42"."c_name",
              COALESCE("t42"."k_skew", 0) AS "c_skew",
              COALESCE("t42"."k_tol", 5000000) AS "c_tol",
              "t42"."c_time" - CASE
                WHEN POSITION('sysmon' IN LOWER("t42"."c_channel")) > 0
                THEN COALESCE("t42"."k_skew", 0)
                ELSE 0
              END AS "c_sec"
            FROM (
              SELECT
                "t17"."creation_key",
                "t17"."c_host",
                "t17"."c_time",
                "t17"."c_logon",
                "t17"."c_channel",
                "t17"."c_record",
                "t17"."c_name",
                "t40"."k_host",
                "t40"."k_skew",
                "t40"."k_tol"
              FROM (
                SELECT
                  "t0"."event_key" AS "creation_key",
                  "t0"."host" AS "c_host",
                  "t0"."time_us" AS "c_time",
                  "t0"."creator_logon_id" AS "c_logon",
                  "t0"."channel" AS "c_channel",
                  "t0"."record_id" AS "c_record",
                  LOWER("t0"."account_name") AS "c_name"
                FROM "acctrace_an1604_creation" AS "t0"
              ) AS "t17"
              LEFT OUTER JOIN (
                SELECT
                  "t35"."host" AS "k_host",
                  CASE WHEN "t35"."pairs" >= 3 THEN "t35"."median_us" ELSE 0 END AS "k_skew",
                  CASE
                    WHEN "t35"."pairs" >= 3
                    THEN LEAST((
                      "t35"."high_us" - "t35"."low_us"
                    ) + 10000, 5000000)
                    ELSE 5000000
                  END AS "k_tol"
                FROM (
                  SELECT
                    "t33"."host",
                    COUNT(*) AS "pairs",
                    CAST(PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY
                      "t33"."delta_us") AS BIGINT) AS "median_us",
                    MIN("t33"."delta_us") AS "low_us",
                    MAX("t33"."delta_us") AS "high_us"
                  FROM (
                    SELECT
                      "t32"."host",
                      "t32"."delta_us"
                    FROM (
                      SELECT
                        "t27"."event_key",
                        "t27"."host",
                        "t27"."host_name",
                        "t27"."time_us",
                        "t27"."record_id",
                        "t27"."event_id",
                        "t27"."channel",
                        "t27"."file",
                        "t27"."sha256",
                        "t27"."pid",
                        "t27"."parent_pid",
                        "t27"."logon_id",
                        "t27"."image",
                        "t27"."command_line",
                        "t27"."parent_image",
                        "t27"."parent_command_line",
                        "t27"."process_guid",
                        "t27"."parent_process_guid",
                        "t27"."user_sid",
                        "t27"."user_name",
                        "t27"."user_domain",
                        "t27"."integrity",
                        "t27"."telemetry",
                        "t27"."p_host",
                        "t27"."p_pid",
                        "t27"."p_image",
                        "t27"."p_time",
                        "t27"."p_key",
                        "t27"."delta_us",
                        ROW_NUMBER() OVER (
                          PARTITION BY "t27"."event_key"
                          ORDER BY ABS("t27"."delta_us") ASC, "t27"."p_key" ASC
                          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                        ) - 1 AS "_rank"
                      FROM (
                        SELECT
                          "t25"."event_key",
                          "t25"."host",
                          "t25"."host_name",
                          "t25"."time_us",
                          "t25"."record_id",
                          "t25"."event_id",
                          "t25"."channel",
                          "t25"."file",
                          "t25"."sha256",
                          "t25"."pid",
                          "t25"."parent_pid",
                          "t25"."logon_id",
                          "t25"."image",
                          "t25"."command_line",
                          "t25"."parent_image",
                          "t25"."parent_command_line",
                          "t25"."process_guid",
                          "t25"."parent_process_guid",
                          "t25"."user_sid",
                          "t25"."user_name",
                          "t25"."user_domain",
                          "t25"."integrity",
                          "t25"."telemetry",
                          "t25"."p_host",
                          "t25"."p_pid",
                          "t25"."p_image",
                          "t25"."p_time",
                          "t25"."p_key",
                          "t25"."time_us" - "t25"."p_time" AS "delta_us"
                        FROM (
                          SELECT
                            "t19"."event_key",
                            "t19"."host",
                            "t19"."host_name",
                            "t19"."time_us",
                            "t19"."record_id",
                            "t19"."event_id",
                            "t19"."channel",
                            "t19"."file",
                            "t19"."sha256",
                            "t19"."pid",
                            "t19"."parent_pid",
                            "t19"."logon_id",
                            "t19"."image",
                            "t19"."command_line",
                            "t19"."parent_image",
                            "t19"."parent_command_line",
                            "t19"."process_guid",
                            "t19"."parent_process_guid",
                            "t19"."user_sid",
                            "t19"."user_name",
                            "t19"."user_domain",
                            "t19"."integrity",
                            "t19"."telemetry",
                            "t20"."p_host",
                            "t20"."p_pid",
                            "t20"."p_image",
                            "t20"."p_time",
                            "t20"."p_key"
                          FROM (
                            SELECT
                              "t1"."event_key",
                              "t1"."host",
                              "t1"."host_name",
                              "t1"."time_us",
                              "t1"."record_id",
                              "t1"."event_id",
                              "t1"."channel",
                              "t1"."file",
                              "t1"."sha256",
                              "t1"."pid",
                              "t1"."parent_pid",
                              "t1"."logon_id",
                              "t1"."image",
                              "t1"."command_line",
                              "t1"."parent_image",
                              "t1"."parent_command_line",
                              "t1"."process_guid",
                              "t1"."parent_process_guid",
                              "t1"."user_sid",
                              "t1"."user_name",
                              "t1"."user_domain",
                              "t1"."integrity",
                              "t1"."telemetry"
                            FROM "process" AS "t1"
                            WHERE
                              "t1"."telemetry" = 'sysmon-1'
                          ) AS "t19"
                          INNER JOIN (
                            SELECT
                              "t1"."host" AS "p_host",
                              "t1"."pid" AS "p_pid",
                              LOWER("t1"."image") AS "p_image",
                              "t1"."time_us" AS "p_time",
                              "t1"."event_key" AS "p_key"
                            FROM "process" AS "t1"
                            WHERE
                              "t1"."telemetry" = 'security-4688'
                          ) AS "t20"
                            ON "t19"."host" = "t20"."p_host"
                            AND "t19"."pid" = "t20"."p_pid"
                            AND LOWER("t19"."image") = "t20"."p_image"
                            AND ABS("t19"."time_us" - "t20"."p_time") <= 60000000
                        ) AS "t25"
                      ) AS "t27"
                    ) AS "t32"
                    WHERE
                      "t32"."_rank" = 0
                  ) AS "t33"
                  GROUP BY
                    1
                ) AS "t35"
              ) AS "t40"
                ON "t17"."c_host" = "t40"."k_host"
            ) AS "t42"
          ) AS "t44"
          INNER JOIN "process" AS "t4"
            ON "t44"."c_host" = "t4"."host"
            AND "t44"."c_logon" IS NULL
            AND "t4"."time_us" >= (
              (
                "t44"."c_time" - 120000000
              ) - (
                ABS("t44"."c_skew") + "t44"."c_tol"
              )
            )
            AND "t4"."time_us" <= (
              "t44"."c_time" + (
                ABS("t44"."c_skew") + "t44"."c_tol"
              )
            )
            AND POSITION("t44"."c_name" IN LOWER("t4"."command_line")) > 0
        ) AS "t46"
        WHERE
          (
            (
              (
                "t46"."channel" = "t46"."c_channel"
              )
              AND (
                "t46"."record_id" IS NOT NULL
              )
              AND (
                "t46"."c_record" IS NOT NULL
              )
              AND (
                "t46"."record_id" < "t46"."c_record"
              )
            )
            OR (
              NOT (
                (
                  "t46"."channel" = "t46"."c_channel"
                )
                AND (
                  "t46"."record_id" IS NOT NULL
                )
                AND (
                  "t46"."c_record" IS NOT NULL
                )
              )
              AND (
                (
                  "t46"."time_us" - CASE
                    WHEN POSITION('sysmon' IN LOWER("t46"."channel")) > 0
                    THEN "t46"."c_skew"
                    ELSE 0
                  END
                ) <= (
                  "t46"."c_sec" + "t46"."c_tol"
                )
              )
            )
          )
          AND (
            "t46"."time_us" - CASE
              WHEN POSITION('sysmon' IN LOWER("t46"."channel")) > 0
              THEN "t46"."c_skew"
              ELSE 0
            END
          ) >= (
            "t46"."c_sec" - 120000000
          )
      ) AS "t51"
      WHERE
        NOT EXISTS(
          SELECT
            1
          FROM (
            SELECT DISTINCT
              "t52"."creation_key" AS "d_creation",
              "t52"."event_key" AS "d_key"
            FROM (
              SELECT
                "t51"."creation_key",
                "t51"."c_host",
                "t51"."c_time",
                "t51"."c_logon",
                "t51"."c_channel",
                "t51"."c_record",
                "t51"."c_name",
                "t51"."c_skew",
                "t51"."c_tol",
                "t51"."c_sec",
                "t51"."event_key",
                "t51"."host",
                "t51"."host_name",
                "t51"."time_us",
                "t51"."record_id",
                "t51"."event_id",
                "t51"."channel",
                "t51"."file",
                "t51"."sha256",
                "t51"."pid",
                "t51"."parent_pid",
                "t51"."logon_id",
                "t51"."image",
                "t51"."command_line",
                "t51"."parent_image",
                "t51"."parent_command_line",
                "t51"."process_guid",
                "t51"."parent_process_guid",
                "t51"."user_sid",
                "t51"."user_name",
                "t51"."user_domain",
                "t51"."integrity",
                "t51"."telemetry",
                "t51"."surely_before",
                "t51"."in_window",
                "t16"."e_host",
                "t16"."e_pid",
                "t16"."e_guid",
                "t16"."e_time",
                "t16"."e_channel",
                "t16"."e_record"
              FROM (
                SELECT
                  "t46"."creation_key",
                  "t46"."c_host",
                  "t46"."c_time",
                  "t46"."c_logon",
                  "t46"."c_channel",
                  "t46"."c_record",
                  "t46"."c_name",
                  "t46"."c_skew",
                  "t46"."c_tol",
                  "t46"."c_sec",
                  "t46"."event_key",
                  "t46"."host",
                  "t46"."host_name",
                  "t46"."time_us",
                  "t46"."record_id",
                  "t46"."event_id",
                  "t46"."channel",
                  "t46"."file",
                  "t46"."sha256",
                  "t46"."pid",
                  "t46"."parent_pid",
                  "t46"."logon_id",
                  "t46"."image",
                  "t46"."command_line",
                  "t46"."parent_image",
                  "t46"."parent_command_line",
                  "t46"."process_guid",
                  "t46"."parent_process_guid",
                  "t46"."user_sid",
                  "t46"."user_name",
                  "t46"."user_domain",
                  "t46"."integrity",
                  "t46"."telemetry",
                  (
                    (
                      "t46"."channel" = "t46"."c_channel"
                    )
                    AND (
                      "t46"."record_id" IS NOT NULL
                    )
                    AND (
                      "t46"."c_record" IS NOT NULL
                    )
                    AND (
                      "t46"."record_id" < "t46"."c_record"
                    )
                  )
                  OR (
                    NOT (
                      (
                        "t46"."channel" = "t46"."c_channel"
                      )
                      AND (
                        "t46"."record_id" IS NOT NULL
                      )
                      AND (
                        "t46"."c_record" IS NOT NULL
                      )
                    )
                    AND (
                      (
                        "t46"."time_us" - CASE
                          WHEN POSITION('sysmon' IN LOWER("t46"."channel")) > 0
                          THEN "t46"."c_skew"
                          ELSE 0
                        END
                      ) < (
                        "t46"."c_sec" - "t46"."c_tol"
                      )
                    )
                  ) AS "surely_before",
                  (
                    "t46"."time_us" - CASE
                      WHEN POSITION('sysmon' IN LOWER("t46"."channel")) > 0
                      THEN "t46"."c_skew"
                      ELSE 0
                    END
                  ) >= (
                    "t46"."c_sec" - 120000000
                  ) AS "in_window"
                FROM (
                  SELECT
                    "t44"."creation_key",
                    "t44"."c_host",
                    "t44"."c_time",
                    "t44"."c_logon",
                    "t44"."c_channel",
                    "t44"."c_record",
                    "t44"."c_name",
                    "t44"."c_skew",
                    "t44"."c_tol",
                    "t44"."c_sec",
                    "t4"."event_key",
                    "t4"."host",
                    "t4"."host_name",
                    "t4"."time_us",
                    "t4"."record_id",
                    "t4"."event_id",
                    "t4"."channel",
                    "t4"."file",
                    "t4"."sha256",
                    "t4"."pid",
                    "t4"."parent_pid",
                    "t4"."logon_id",
                    "t4"."image",
                    "t4"."command_line",
                    "t4"."parent_image",
                    "t4"."parent_command_line",
                    "t4"."process_guid",
                    "t4"."parent_process_guid",
                    "t4"."user_sid",
                    "t4"."user_name",
                    "t4"."user_domain",
                    "t4"."integrity",
                    "t4"."telemetry"
                  FROM (
                    SELECT
                      "t42"."creation_key",
                      "t42"."c_host",
                      "t42"."c_time",
                      "t42"."c_logon",
                      "t42"."c_channel",
                      "t42"."c_record",
                      "t42"."c_name",
                      COALESCE("t42"."k_skew", 0) AS "c_skew",
                      COALESCE("t42"."k_tol", 5000000) AS "c_tol",
                      "t42"."c_time" - CASE
                        WHEN POSITION('sysmon' IN LOWER("t42"."c_channel")) > 0
                        THEN COALESCE("t42"."k_skew", 0)
                        ELSE 0
                      END AS "c_sec"
                    FROM (
                      SELECT
                        "t17"."creation_key",
                        "t17"."c_host",
                        "t17"."c_time",
                        "t17"."c_logon",
                        "t17"."c_channel",
                        "t17"."c_record",
                        "t17"."c_name",
                        "t40"."k_host",
                        "t40"."k_skew",
                        "t40"."k_tol"
                      FROM (
                        SELECT
                          "t0"."event_key" AS "creation_key",
                          "t0"."host" AS "c_host",
                          "t0"."time_us" AS "c_time",
                          "t0"."creator_logon_id" AS "c_logon",
                          "t0"."channel" AS "c_channel",
                          "t0"."record_id" AS "c_record",
                          LOWER("t0"."account_name") AS "c_name"
                        FROM "acctrace_an1604_creation" AS "t0"
                      ) AS "t17"
                      LEFT OUTER JOIN (
                        SELECT
                          "t35"."host" AS "k_host",
                          CASE WHEN "t35"."pairs" >= 3 THEN "t35"."median_us" ELSE 0 END AS "k_skew",
                          CASE
                            WHEN "t35"."pairs" >= 3
                            THEN LEAST((
                              "t35"."high_us" - "t35"."low_us"
                            ) + 10000, 5000000)
                            ELSE 5000000
                          END AS "k_tol"
                        FROM (
                          SELECT
                            "t33"."host",
                            COUNT(*) AS "pairs",
                            CAST(PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY
                              "t33"."delta_us") AS BIGINT) AS "median_us",
                            MIN("t33"."delta_us") AS "low_us",
                            MAX("t33"."delta_us") AS "high_us"
                          FROM (
                            SELECT
                              "t32"."host",
                              "t32"."delta_us"
                            FROM (
                              SELECT
                                "t27"."event_key",
                                "t27"."host",
                                "t27"."host_name",
                                "t27"."time_us",
                                "t27"."record_id",
                                "t27"."event_id",
                                "t27"."channel",
                                "t27"."file",
                                "t27"."sha256",
                                "t27"."pid",
                                "t27"."parent_pid",
                                "t27"."logon_id",
                                "t27"."image",
                                "t27"."command_line",
                                "t27"."parent_image",
                                "t27"."parent_command_line",
                                "t27"."process_guid",
                                "t27"."parent_process_guid",
                                "t27"."user_sid",
                                "t27"."user_name",
                                "t27"."user_domain",
                                "t27"."integrity",
                                "t27"."telemetry",
                                "t27"."p_host",
                                "t27"."p_pid",
                                "t27"."p_image",
                                "t27"."p_time",
                                "t27"."p_key",
                                "t27"."delta_us",
                                ROW_NUMBER() OVER (
                                  PARTITION BY "t27"."event_key"
                                  ORDER BY ABS("t27"."delta_us") ASC, "t27"."p_key" ASC
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                                ) - 1 AS "_rank"
                              FROM (
                                SELECT
                                  "t25"."event_key",
                                  "t25"."host",
                                  "t25"."host_name",
                                  "t25"."time_us",
                                  "t25"."record_id",
                                  "t25"."event_id",
                                  "t25"."channel",
                                  "t25"."file",
                                  "t25"."sha256",
                                  "t25"."pid",
                                  "t25"."parent_pid",
                                  "t25"."logon_id",
                                  "t25"."image",
                                  "t25"."command_line",
                                  "t25"."parent_image",
                                  "t25"."parent_command_line",
                                  "t25"."process_guid",
                                  "t25"."parent_process_guid",
                                  "t25"."user_sid",
                                  "t25"."user_name",
                                  "t25"."user_domain",
                                  "t25"."integrity",
                                  "t25"."telemetry",
                                  "t25"."p_host",
                                  "t25"."p_pid",
                                  "t25"."p_image",
                                  "t25"."p_time",
                                  "t25"."p_key",
                                  "t25"."time_us" - "t25"."p_time" AS "delta_us"
                                FROM (
                                  SELECT
                                    "t19"."event_key",
                                    "t19"."host",
                                    "t19"."host_name",
                                    "t19"."time_us",
                                    "t19"."record_id",
                                    "t19"."event_id",
                                    "t19"."channel",
                                    "t19"."file",
                                    "t19"."sha256",
                                    "t19"."pid",
                                    "t19"."parent_pid",
                                    "t19"."logon_id",
                                    "t19"."image",
                                    "t19"."command_line",
                                    "t19"."parent_image",
                                    "t19"."parent_command_line",
                                    "t19"."process_guid",
                                    "t19"."parent_process_guid",
                                    "t19"."user_sid",
                                    "t19"."user_name",
                                    "t19"."user_domain",
                                    "t19"."integrity",
                                    "t19"."telemetry",
                                    "t20"."p_host",
                                    "t20"."p_pid",
                                    "t20"."p_image",
                                    "t20"."p_time",
                                    "t20"."p_key"
                                  FROM (
                                    SELECT
                                      "t1"."event_key",
                                      "t1"."host",
                                      "t1"."host_name",
                                      "t1"."time_us",
                                      "t1"."record_id",
                                      "t1"."event_id",
                                      "t1"."channel",
                                      "t1"."file",
                                      "t1"."sha256",
                                      "t1"."pid",
                                      "t1"."parent_pid",
                                      "t1"."logon_id",
                                      "t1"."image",
                                      "t1"."command_line",
                                      "t1"."parent_image",
                                      "t1"."parent_command_line",
                                      "t1"."process_guid",
                                      "t1"."parent_process_guid",
                                      "t1"."user_sid",
                                      "t1"."user_name",
                                      "t1"."user_domain",
                                      "t1"."integrity",
                                      "t1"."telemetry"
                                    FROM "process" AS "t1"
                                    WHERE
                                      "t1"."telemetry" = 'sysmon-1'
                                  ) AS "t19"
                                  INNER JOIN (
                                    SELECT
                                      "t1"."host" AS "p_host",
                                      "t1"."pid" AS "p_pid",
                                      LOWER("t1"."image") AS "p_image",
                                      "t1"."time_us" AS "p_time",
                                      "t1"."event_key" AS "p_key"
                                    FROM "process" AS "t1"
                                    WHERE
                                      "t1"."telemetry" = 'security-4688'
                                  ) AS "t20"
                                    ON "t19"."host" = "t20"."p_host"
                                    AND "t19"."pid" = "t20"."p_pid"
                                    AND LOWER("t19"."image") = "t20"."p_image"
                                    AND ABS("t19"."time_us" - "t20"."p_time") <= 60000000
                                ) AS "t25"
                              ) AS "t27"
                            ) AS "t32"
                            WHERE
                              "t32"."_rank" = 0
                          ) AS "t33"
                          GROUP BY
                            1
                        ) AS "t35"
                      ) AS "t40"
                        ON "t17"."c_host" = "t40"."k_host"
                    ) AS "t42"
                  ) AS "t44"
                  INNER JOIN "process" AS "t4"
                    ON "t44"."c_host" = "t4"."host"
                    AND "t44"."c_logon" IS NULL
                    AND "t4"."time_us" >= (
                      (
                        "t44"."c_time" - 120000000
                      ) - (
                        ABS("t44"."c_skew") + "t44"."c_tol"
                      )
                    )
                    AND "t4"."time_us" <= (
                      "t44"."c_time" + (
                        ABS("t44"."c_skew") + "t44"."c_tol"
                      )
                    )
                    AND POSITION("t44"."c_name" IN LOWER("t4"."command_line")) > 0
                ) AS "t46"
                WHERE
                  (
                    (
                      (
                        "t46"."channel" = "t46"."c_channel"
                      )
                      AND (
                        "t46"."record_id" IS NOT NULL
                      )
                      AND (
                        "t46"."c_record" IS NOT NULL
                      )
                      AND (
                        "t46"."record_id" < "t46"."c_record"
                      )
                    )
                    OR (
                      NOT (
                        (
                          "t46"."channel" = "t46"."c_channel"
                        )
                        AND (
                          "t46"."record_id" IS NOT NULL
                        )
                        AND (
                          "t46"."c_record" IS NOT NULL
                        )
                      )
                      AND (
                        (
                          "t46"."time_us" - CASE
                            WHEN POSITION('sysmon' IN LOWER("t46"."channel")) > 0
                            THEN "t46"."c_skew"
                            ELSE 0
                          END
                        ) <= (
                          "t46"."c_sec" + "t46"."c_tol"
                        )
                      )
                    )
                  )
                  AND (
                    "t46"."time_us" - CASE
                      WHEN POSITION('sysmon' IN LOWER("t46"."channel")) > 0
                      THEN "t46"."c_skew"
                      ELSE 0
                    END
                  ) >= (
                    "t46"."c_sec" - 120000000
                  )
              ) AS "t51"
              INNER JOIN (
                SELECT
                  "t2"."host" AS "e_host",
                  "t2"."pid" AS "e_pid",
                  "t2"."process_guid" AS "e_guid",
                  "t2"."time_us" AS "e_time",
                  "t2"."channel" AS "e_channel",
                  "t2"."record_id" AS "e_record"
                FROM "process_end" AS "t2"
              ) AS "t16"
                ON "t51"."host" = "t16"."e_host"
                AND "t51"."pid" = "t16"."e_pid"
                AND (
                  (
                    "t51"."process_guid" IS NULL
                  )
                  OR (
                    "t16"."e_guid" IS NULL
                  )
                  OR (
                    "t51"."process_guid" = "t16"."e_guid"
                  )
                )
                AND "t16"."e_time" >= "t51"."time_us"
            ) AS "t52"
            WHERE
              (
                (
                  "t52"."e_channel" = "t52"."c_channel"
                )
                AND (
                  "t52"."e_record" IS NOT NULL
                )
                AND (
                  "t52"."c_record" IS NOT NULL
                )
                AND (
                  "t52"."e_record" < "t52"."c_record"
                )
              )
              OR (
                NOT (
                  (
                    "t52"."e_channel" = "t52"."c_channel"
                  )
                  AND (
                    "t52"."e_record" IS NOT NULL
                  )
                  AND (
                    "t52"."c_record" IS NOT NULL
                  )
                )
                AND (
                  (
                    "t52"."e_time" - CASE
                      WHEN POSITION('sysmon' IN LOWER("t52"."e_channel")) > 0
                      THEN "t52"."c_skew"
                      ELSE 0
                    END
                  ) < (
                    "t52"."c_sec" - "t52"."c_tol"
                  )
                )
              )
          ) AS "t54"
          WHERE
            "t51"."creation_key" = "t54"."d_creation" AND "t51"."event_key" = "t54"."d_key"
        )
    ) AS "t57"
  ) AS "t58"
)
SELECT
  "t84"."creation_key",
  "t84"."creation_time_us",
  "t84"."host",
  "t84"."host_name",
  "t84"."account_sid",
  "t84"."account_name",
  "t84"."account_domain",
  "t84"."creator_sid",
  "t84"."creator_name",
  "t84"."creator_domain",
  "t84"."creator_logon_id",
  "t84"."process_key",
  "t84"."process_time_us",
  "t84"."telemetry",
  "t84"."in_window",
  "t84"."pid",
  "t84"."parent_pid",
  "t84"."logon_id",
  "t84"."image",
  "t84"."command_line",
  "t84"."parent_key",
  "t84"."parent_image",
  CASE
    WHEN TRUE
    AND (
      FALSE
      OR (
        TRUE
        AND COALESCE(LOWER("t84"."creator_domain") ~ '^corp$', FALSE)
        AND COALESCE(LOWER("t84"."creator_name") ~ '^svc\-provision$', FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(LOWER("t84"."host_name") ~ '^dc.*$', FALSE)
      )
      OR (
        TRUE AND COALESCE(LOWER("t84"."host_name") ~ '^dc.*\..*$', FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(LOWER("t84"."image") ~ '^powershell\.exe$', FALSE)
      )
      OR (
        TRUE AND COALESCE(LOWER("t84"."image") ~ '^.*\\powershell\.exe$', FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(LOWER("t84"."account_name") ~ '^[a-z].*$', FALSE)
      )
    )
    AND (
      "t84"."creation_time_us" >= 1704067200000000
    )
    THEN 'hr-onboarding-feed'
    ELSE CASE
      WHEN TRUE
      AND (
        FALSE
        OR (
          TRUE
          AND COALESCE(LOWER("t84"."creator_domain") ~ '^corp$', FALSE)
          AND COALESCE(LOWER("t84"."creator_name") ~ '^helpdesk1$', FALSE)
        )
        OR (
          TRUE
          AND COALESCE(LOWER("t84"."creator_domain") ~ '^corp$', FALSE)
          AND COALESCE(LOWER("t84"."creator_name") ~ '^helpdesk2$', FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(LOWER("t84"."host_name") ~ '^dc.*$', FALSE)
        )
        OR (
          TRUE AND COALESCE(LOWER("t84"."host_name") ~ '^dc.*\..*$', FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(LOWER("t84"."image") ~ '^mmc\.exe$', FALSE)
        )
        OR (
          TRUE AND COALESCE(LOWER("t84"."image") ~ '^.*\\mmc\.exe$', FALSE)
        )
      )
      THEN 'helpdesk-aduc'
      ELSE CAST(NULL AS VARCHAR)
    END
  END AS "approved_by"
FROM (
  SELECT
    "t66"."creation_key",
    "t66"."c_time" AS "creation_time_us",
    "t66"."host",
    "t66"."host_name",
    "t10"."account_sid",
    "t10"."account_name",
    "t10"."account_domain",
    "t10"."creator_sid",
    "t10"."creator_name",
    "t10"."creator_domain",
    "t10"."creator_logon_id",
    "t66"."event_key" AS "process_key",
    "t66"."time_us" AS "process_time_us",
    "t66"."telemetry",
    "t66"."in_window",
    "t66"."pid",
    "t66"."parent_pid",
    "t66"."logon_id",
    "t66"."image",
    "t66"."command_line",
    "t83"."parent_key",
    COALESCE("t83"."p_image", "t66"."parent_image") AS "parent_image"
  FROM "t64" AS "t66"
  LEFT OUTER JOIN (
    SELECT
      "t81"."lineage_of" AS "p_of",
      "t81"."event_key" AS "parent_key",
      "t81"."image" AS "p_image"
    FROM (
      SELECT
        "t68"."lineage_of",
        "t68"."child_key",
        "t68"."child_host",
        "t68"."child_time",
        "t68"."child_parent_pid",
        "t68"."child_parent_guid",
        "t68"."child_parent_image",
        "t68"."depth",
        "t80"."b_of",
        "t80"."b_child",
        "t80"."b_key",
        "t3"."event_key",
        "t3"."host",
        "t3"."host_name",
        "t3"."time_us",
        "t3"."record_id",
        "t3"."event_id",
        "t3"."channel",
        "t3"."file",
        "t3"."sha256",
        "t3"."pid",
        "t3"."parent_pid",
        "t3"."logon_id",
        "t3"."image",
        "t3"."command_line",
        "t3"."parent_image",
        "t3"."parent_command_line",
        "t3"."process_guid",
        "t3"."parent_process_guid",
        "t3"."user_sid",
        "t3"."user_name",
        "t3"."user_domain",
        "t3"."integrity",
        "t3"."telemetry"
      FROM (
        SELECT DISTINCT
          "t65"."event_key" AS "lineage_of",
          "t65"."event_key" AS "child_key",
          "t65"."host" AS "child_host",
          "t65"."time_us" AS "child_time",
          "t65"."parent_pid" AS "child_parent_pid",
          "t65"."parent_process_guid" AS "child_parent_guid",
          "t65"."parent_image" AS "child_parent_image",
          0 AS "depth"
        FROM "t64" AS "t65"
      ) AS "t68"
      INNER JOIN (
        SELECT
          "t78"."lineage_of" AS "b_of",
          "t78"."child_key" AS "b_child",
          "t78"."k_key" AS "b_key"
        FROM (
          SELECT
            "t77"."lineage_of",
            "t77"."child_key",
            "t77"."k_key",
            "t77"."k_time",
            "t77"."_by",
            ROW_NUMBER() OVER (
              PARTITION BY "t77"."lineage_of", "t77"."child_key"
              ORDER BY "t77"."_by" ASC, "t77"."k_time" DESC NULLS LAST, "t77"."k_key" ASC
              ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
            ) - 1 AS "_rank"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t68"."lineage_of",
                "t68"."child_key",
                "t29"."k_key",
                "t29"."k_time",
                0 AS "_by"
              FROM (
                SELECT DISTINCT
                  "t65"."event_key" AS "lineage_of",
                  "t65"."event_key" AS "child_key",
                  "t65"."host" AS "child_host",
                  "t65"."time_us" AS "child_time",
                  "t65"."parent_pid" AS "child_parent_pid",
                  "t65"."parent_process_guid" AS "child_parent_guid",
                  "t65"."parent_image" AS "child_parent_image",
                  0 AS "depth"
                FROM "t64" AS "t65"
              ) AS "t68"
              INNER JOIN (
                SELECT
                  "t26"."k_key",
                  "t26"."k_host",
                  "t26"."k_pid",
                  "t26"."k_guid",
                  "t26"."k_time",
                  "t26"."k_image"
                FROM (
                  SELECT
                    "t22"."k_key",
                    "t22"."k_host",
                    "t22"."k_pid",
                    "t22"."k_guid",
                    "t22"."k_time",
                    "t22"."k_image",
                    "t24"."_x0",
                    "t24"."_x1",
                    "t24"."_xt"
                  FROM "t11" AS "t22"
                  INNER JOIN (
                    SELECT
                      "t18"."k_host" AS "_x0",
                      "t18"."k_guid" AS "_x1",
                      MAX("t18"."k_time") AS "_xt"
                    FROM "t11" AS "t18"
                    GROUP BY
                      1,
                      2
                  ) AS "t24"
                    ON "t22"."k_host" = "t24"."_x0"
                    AND "t22"."k_guid" = "t24"."_x1"
                    AND "t22"."k_time" = "t24"."_xt"
                ) AS "t26"
              ) AS "t29"
                ON "t68"."child_host" = "t29"."k_host"
                AND "t68"."child_parent_guid" = "t29"."k_guid"
            ) AS "t70"
            UNION ALL
            SELECT
              *
            FROM (
              SELECT
                "t75"."lineage_of",
                "t75"."child_key",
                "t21"."k_key",
                "t21"."k_time",
                1 AS "_by"
              FROM (
                SELECT
                  "t73"."lineage_of",
                  "t73"."child_key",
                  "t73"."child_host",
                  "t73"."child_time",
                  "t73"."child_parent_pid",
                  "t73"."child_parent_guid",
                  "t73"."child_parent_image",
                  "t73"."depth",
                  "t73"."last_end"
                FROM (
                  SELECT
                    "t68"."lineage_of",
                    "t68"."child_key",
                    "t68"."child_host",
                    "t68"."child_time",
                    "t68"."child_parent_pid",
                    "t68"."child_parent_guid",
                    "t68"."child_parent_image",
                    "t68"."depth",
                    "t72"."l_of",
                    "t72"."l_child",
                    "t72"."last_end"
                  FROM (
                    SELECT DISTINCT
                      "t65"."event_key" AS "lineage_of",
                      "t65"."event_key" AS "child_key",
                      "t65"."host" AS "child_host",
                      "t65"."time_us" AS "child_time",
                      "t65"."parent_pid" AS "child_parent_pid",
                      "t65"."parent_process_guid" AS "child_parent_guid",
                      "t65"."parent_image" AS "child_parent_image",
                      0 AS "depth"
                    FROM "t64" AS "t65"
                  ) AS "t68"
                  LEFT OUTER JOIN (
                    SELECT
                      "t69"."lineage_of" AS "l_of",
                      "t69"."child_key" AS "l_child",
                      MAX("t69"."e_time") AS "last_end"
                    FROM (
                      SELECT
                        "t68"."lineage_of",
                        "t68"."child_key",
                        "t68"."child_host",
                        "t68"."child_time",
                        "t68"."child_parent_pid",
                        "t68"."child_parent_guid",
                        "t68"."child_parent_image",
                        "t68"."depth",
                        "t15"."e_host",
                        "t15"."e_pid",
                        "t15"."e_time"
                      FROM (
                        SELECT DISTINCT
                          "t65"."event_key" AS "lineage_of",
                          "t65"."event_key" AS "child_key",
                          "t65"."host" AS "child_host",
                          "t65"."time_us" AS "child_time",
                          "t65"."parent_pid" AS "child_parent_pid",
                          "t65"."parent_process_guid" AS "child_parent_guid",
                          "t65"."parent_image" AS "child_parent_image",
                          0 AS "depth"
                        FROM "t64" AS "t65"
                      ) AS "t68"
                      INNER JOIN (
                        SELECT
                          "t2"."host" AS "e_host",
                          "t2"."pid" AS "e_pid",
                          "t2"."time_us" AS "e_time"
                        FROM "process_end" AS "t2"
                      ) AS "t15"
                        ON "t68"."child_host" = "t15"."e_host"
                        AND "t68"."child_parent_pid" = "t15"."e_pid"
                        AND "t15"."e_time" < "t68"."child_time"
                    ) AS "t69"
                    GROUP BY
                      1,
                      2
                  ) AS "t72"
                    ON "t68"."lineage_of" = "t72"."l_of" AND "t68"."child_key" = "t72"."l_child"
                ) AS "t73"
              ) AS "t75"
              INNER JOIN "t11" AS "t21"
                ON "t75"."child_host" = "t21"."k_host"
                AND "t75"."child_parent_pid" = "t21"."k_pid"
                AND "t21"."k_time" <= "t75"."child_time"
                AND (
                  (
                    "t75"."last_end" IS NULL
                  ) OR (
                    "t21"."k_time" > "t75"."last_end"
                  )
                )
                AND "t21"."k_key" <> "t75"."child_key"
                AND (
                  (
                    "t75"."child_parent_image" IS NULL
                  )
                  OR (
                    LOWER("t75"."child_parent_image") = "t21"."k_image"
                  )
                )
            ) AS "t76"
          ) AS "t77"
        ) AS "t78"
        WHERE
          "t78"."_rank" = 0
      ) AS "t80"
        ON "t68"."lineage_of" = "t80"."b_of" AND "t68"."child_key" = "t80"."b_child"
      INNER JOIN "process" AS "t3"
        ON "t80"."b_key" = "t3"."event_key"
    ) AS "t81"
  ) AS "t83"
    ON "t66"."event_key" = "t83"."p_of"
  INNER JOIN (
    SELECT
      "t0"."event_key" AS "creation_key",
      "t0"."account_sid",
      "t0"."account_name",
      "t0"."account_domain",
      "t0"."creator_sid",
      "t0"."creator_name",
      "t0"."creator_domain",
      "t0"."creator_logon_id"
    FROM "acctrace_an1604_creation" AS "t0"
  ) AS "t10"
    ON "t66"."creation_key" = "t10"."creation_key"
) AS "t84";
