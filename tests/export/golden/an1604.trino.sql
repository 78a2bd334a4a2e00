-- acctrace VERSION export of MITRE ATT&CK AN1604 (T1136 Create Account).
-- Detects: every account creation (4720, or a SAM key write without one) paired with each
--     process in the creator's logon session on that host that started in the window
--     (security-4688 or sysmon-1) or, if a script host or a binary from outside the Windows
--     folders (`in_window` false), earlier and not ended before it, or, when the session is
--     unknown, each process whose command line names the account. Views
--     acctrace_an1604_creation and acctrace_an1604_pair over the tables creation, process,
--     process_end, sam_write (acctrace's event model, docs/export.md); dialect trino.
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
          NOT "t1"."account_name" IS NULL
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
WITH "t36" AS (
  SELECT
    *
  FROM (
    SELECT
      "t34"."creation_key",
      "t34"."c_time",
      "t34"."event_key",
      "t34"."host",
      "t34"."host_name",
      "t34"."time_us",
      "t34"."record_id",
      "t34"."event_id",
      "t34"."channel",
      "t34"."file",
      "t34"."sha256",
      "t34"."pid",
      "t34"."parent_pid",
      "t34"."logon_id",
      "t34"."image",
      "t34"."command_line",
      "t34"."parent_image",
      "t34"."parent_command_line",
      "t34"."process_guid",
      "t34"."parent_process_guid",
      "t34"."user_sid",
      "t34"."user_name",
      "t34"."user_domain",
      "t34"."integrity",
      "t34"."telemetry",
      "t34"."surely_before",
      "t34"."in_window"
    FROM (
      SELECT
        "t33"."creation_key",
        "t33"."c_host",
        "t33"."c_time",
        "t33"."c_logon",
        "t33"."c_channel",
        "t33"."c_record",
        "t33"."c_name",
        "t33"."c_skew",
        "t33"."c_tol",
        "t33"."c_sec",
        "t33"."event_key",
        "t33"."host",
        "t33"."host_name",
        "t33"."time_us",
        "t33"."record_id",
        "t33"."event_id",
        "t33"."channel",
        "t33"."file",
        "t33"."sha256",
        "t33"."pid",
        "t33"."parent_pid",
        "t33"."logon_id",
        "t33"."image",
        "t33"."command_line",
        "t33"."parent_image",
        "t33"."parent_command_line",
        "t33"."process_guid",
        "t33"."parent_process_guid",
        "t33"."user_sid",
        "t33"."user_name",
        "t33"."user_domain",
        "t33"."integrity",
        "t33"."telemetry",
        "t33"."surely_before",
        "t33"."in_window"
      FROM (
        SELECT
          "t27"."creation_key",
          "t27"."c_host",
          "t27"."c_time",
          "t27"."c_logon",
          "t27"."c_channel",
          "t27"."c_record",
          "t27"."c_name",
          "t27"."c_skew",
          "t27"."c_tol",
          "t27"."c_sec",
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
          (
            (
              "t27"."channel" = "t27"."c_channel"
            )
            AND (
              NOT "t27"."record_id" IS NULL
            )
            AND (
              NOT "t27"."c_record" IS NULL
            )
            AND (
              "t27"."record_id" < "t27"."c_record"
            )
          )
          OR (
            NOT (
              (
                "t27"."channel" = "t27"."c_channel"
              )
              AND (
                NOT "t27"."record_id" IS NULL
              )
              AND (
                NOT "t27"."c_record" IS NULL
              )
            )
            AND (
              (
                "t27"."time_us" - IF(STRPOS(LOWER("t27"."channel"), 'sysmon') > 0, "t27"."c_skew", 0)
              ) < (
                "t27"."c_sec" - "t27"."c_tol"
              )
            )
          ) AS "surely_before",
          (
            "t27"."time_us" - IF(STRPOS(LOWER("t27"."channel"), 'sysmon') > 0, "t27"."c_skew", 0)
          ) >= (
            "t27"."c_sec" - 120000000
          ) AS "in_window"
        FROM (
          SELECT
            "t25"."creation_key",
            "t25"."c_host",
            "t25"."c_time",
            "t25"."c_logon",
            "t25"."c_channel",
            "t25"."c_record",
            "t25"."c_name",
            "t25"."c_skew",
            "t25"."c_tol",
            "t25"."c_sec",
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
            SELECT
              "t23"."creation_key",
              "t23"."c_host",
              "t23"."c_time",
              "t23"."c_logon",
              "t23"."c_channel",
              "t23"."c_record",
              "t23"."c_name",
              COALESCE("t23"."k_skew", 0) AS "c_skew",
              COALESCE("t23"."k_tol", 5000000) AS "c_tol",
              "t23"."c_time" - IF(STRPOS(LOWER("t23"."c_channel"), 'sysmon') > 0, COALESCE("t23"."k_skew", 0), 0) AS "c_sec"
            FROM (
              SELECT
                "t13"."creation_key",
                "t13"."c_host",
                "t13"."c_time",
                "t13"."c_logon",
                "t13"."c_channel",
                "t13"."c_record",
                "t13"."c_name",
                "t22"."k_host",
                "t22"."k_skew",
                "t22"."k_tol"
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
              ) AS "t13"
              LEFT OUTER JOIN (
                SELECT
                  "t20"."host" AS "k_host",
                  IF("t20"."pairs" >= 3, "t20"."median_us", 0) AS "k_skew",
                  IF(
                    "t20"."pairs" >= 3,
                    LEAST((
                      "t20"."high_us" - "t20"."low_us"
                    ) + 10000, 5000000),
                    5000000
                  ) AS "k_tol"
                FROM (
                  SELECT
                    "t19"."host",
                    COUNT(*) AS "pairs",
                    CAST(APPROX_PERCENTILE("t19"."delta_us", 0.5) AS BIGINT) AS "median_us",
                    MIN("t19"."delta_us") AS "low_us",
                    MAX("t19"."delta_us") AS "high_us"
                  FROM (
                    SELECT
                      "t18"."host",
                      "t18"."delta_us"
                    FROM (
                      SELECT
                        "t17"."event_key",
                        "t17"."host",
                        "t17"."host_name",
                        "t17"."time_us",
                        "t17"."record_id",
                        "t17"."event_id",
                        "t17"."channel",
                        "t17"."file",
                        "t17"."sha256",
                        "t17"."pid",
                        "t17"."parent_pid",
                        "t17"."logon_id",
                        "t17"."image",
                        "t17"."command_line",
                        "t17"."parent_image",
                        "t17"."parent_command_line",
                        "t17"."process_guid",
                        "t17"."parent_process_guid",
                        "t17"."user_sid",
                        "t17"."user_name",
                        "t17"."user_domain",
                        "t17"."integrity",
                        "t17"."telemetry",
                        "t17"."p_host",
                        "t17"."p_pid",
                        "t17"."p_image",
                        "t17"."p_time",
                        "t17"."p_key",
                        "t17"."delta_us",
                        ROW_NUMBER() OVER (
                          PARTITION BY "t17"."event_key"
                          ORDER BY ABS("t17"."delta_us") ASC, "t17"."p_key" ASC
                        ) - 1 AS "_rank"
                      FROM (
                        SELECT
                          "t16"."event_key",
                          "t16"."host",
                          "t16"."host_name",
                          "t16"."time_us",
                          "t16"."record_id",
                          "t16"."event_id",
                          "t16"."channel",
                          "t16"."file",
                          "t16"."sha256",
                          "t16"."pid",
                          "t16"."parent_pid",
                          "t16"."logon_id",
                          "t16"."image",
                          "t16"."command_line",
                          "t16"."parent_image",
                          "t16"."parent_command_line",
                          "t16"."process_guid",
                          "t16"."parent_process_guid",
                          "t16"."user_sid",
                          "t16"."user_name",
                          "t16"."user_domain",
                          "t16"."integrity",
                          "t16"."telemetry",
                          "t16"."p_host",
                          "t16"."p_pid",
                          "t16"."p_image",
                          "t16"."p_time",
                          "t16"."p_key",
                          "t16"."time_us" - "t16"."p_time" AS "delta_us"
                        FROM (
                          SELECT
                            "t14"."event_key",
                            "t14"."host",
                            "t14"."host_name",
                            "t14"."time_us",
                            "t14"."record_id",
                            "t14"."event_id",
                            "t14"."channel",
                            "t14"."file",
                            "t14"."sha256",
                            "t14"."pid",
                            "t14"."parent_pid",
                            "t14"."logon_id",
                            "t14"."image",
                            "t14"."command_line",
                            "t14"."parent_image",
                            "t14"."parent_command_line",
                            "t14"."process_guid",
                            "t14"."parent_process_guid",
                            "t14"."user_sid",
                            "t14"."user_name",
                            "t14"."user_domain",
                            "t14"."integrity",
                            "t14"."telemetry",
                            "t15"."p_host",
                            "t15"."p_pid",
                            "t15"."p_image",
                            "t15"."p_time",
                            "t15"."p_key"
                          FROM (
                            SELECT
                              "t2"."event_key",
                              "t2"."host",
                              "t2"."host_name",
                              "t2"."time_us",
                              "t2"."record_id",
                              "t2"."event_id",
                              "t2"."channel",
                              "t2"."file",
                              "t2"."sha256",
                              "t2"."pid",
                              "t2"."parent_pid",
                              "t2"."logon_id",
                              "t2"."image",
                              "t2"."command_line",
                              "t2"."parent_image",
                              "t2"."parent_command_line",
                              "t2"."process_guid",
                              "t2"."parent_process_guid",
                              "t2"."user_sid",
                              "t2"."user_name",
                              "t2"."user_domain",
                              "t2"."integrity",
                              "t2"."telemetry"
                            FROM "process" AS "t2"
                            WHERE
                              "t2"."telemetry" = 'sysmon-1'
                          ) AS "t14"
                          INNER JOIN (
                            SELECT
                              "t2"."host" AS "p_host",
                              "t2"."pid" AS "p_pid",
                              LOWER("t2"."image") AS "p_image",
                              "t2"."time_us" AS "p_time",
                              "t2"."event_key" AS "p_key"
                            FROM "process" AS "t2"
                            WHERE
                              "t2"."telemetry" = 'security-4688'
                          ) AS "t15"
                            ON "t14"."host" = "t15"."p_host"
                            AND "t14"."pid" = "t15"."p_pid"
                            AND LOWER("t14"."image") = "t15"."p_image"
                            AND ABS("t14"."time_us" - "t15"."p_time") <= 60000000
                        ) AS "t16"
                      ) AS "t17"
                    ) AS "t18"
                    WHERE
                      "t18"."_rank" = 0
                  ) AS "t19"
                  GROUP BY
                    1
                ) AS "t20"
              ) AS "t22"
                ON "t13"."c_host" = "t22"."k_host"
            ) AS "t23"
          ) AS "t25"
          INNER JOIN "process" AS "t3"
            ON "t25"."c_host" = "t3"."host"
            AND "t25"."c_logon" = "t3"."logon_id"
            AND (
              (
                "t3"."time_us" >= (
                  (
                    "t25"."c_time" - 120000000
                  ) - (
                    ABS("t25"."c_skew") + "t25"."c_tol"
                  )
                )
              )
              OR COALESCE(
                REPLACE(LOWER("t3"."image"), '/', '\') IN (
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
                  SUBSTR(REPLACE(LOWER("t3"."image"), '/', '\'), -LENGTH('\powershell.exe')) = '\powershell.exe'
                )
                OR (
                  SUBSTR(REPLACE(LOWER("t3"."image"), '/', '\'), -LENGTH('\pwsh.exe')) = '\pwsh.exe'
                )
                OR (
                  SUBSTR(REPLACE(LOWER("t3"."image"), '/', '\'), -LENGTH('\powershell_ise.exe')) = '\powershell_ise.exe'
                )
                OR (
                  SUBSTR(REPLACE(LOWER("t3"."image"), '/', '\'), -LENGTH('\wsmprovhost.exe')) = '\wsmprovhost.exe'
                )
                OR (
                  SUBSTR(REPLACE(LOWER("t3"."image"), '/', '\'), -LENGTH('\cscript.exe')) = '\cscript.exe'
                )
                OR (
                  SUBSTR(REPLACE(LOWER("t3"."image"), '/', '\'), -LENGTH('\wscript.exe')) = '\wscript.exe'
                )
                OR (
                  SUBSTR(REPLACE(LOWER("t3"."image"), '/', '\'), -LENGTH('\mshta.exe')) = '\mshta.exe'
                )
                OR (
                  SUBSTR(REPLACE(LOWER("t3"."image"), '/', '\'), -LENGTH('\wmiprvse.exe')) = '\wmiprvse.exe'
                )
                OR (
                  SUBSTR(REPLACE(LOWER("t3"."image"), '/', '\'), -LENGTH('\mmc.exe')) = '\mmc.exe'
                )
                OR (
                  SUBSTR(REPLACE(LOWER("t3"."image"), '/', '\'), -LENGTH('\rundll32.exe')) = '\rundll32.exe'
                )
                OR (
                  SUBSTR(REPLACE(LOWER("t3"."image"), '/', '\'), -LENGTH('\python.exe')) = '\python.exe'
                )
                OR (
                  (
                    STRPOS(REPLACE(LOWER("t3"."image"), '/', '\'), '\') > 0
                  )
                  AND NOT (
                    FALSE
                    OR STARTS_WITH(REPLACE(LOWER("t3"."image"), '/', '\'), 'c:\windows\system32\')
                    OR STARTS_WITH(REPLACE(LOWER("t3"."image"), '/', '\'), 'c:\windows\syswow64\')
                    OR STARTS_WITH(REPLACE(LOWER("t3"."image"), '/', '\'), 'c:\windows\')
                    OR STARTS_WITH(REPLACE(LOWER("t3"."image"), '/', '\'), 'c:\program files\')
                    OR STARTS_WITH(REPLACE(LOWER("t3"."image"), '/', '\'), 'c:\program files (x86)\')
                    OR STARTS_WITH(REPLACE(LOWER("t3"."image"), '/', '\'), '%systemroot%\')
                    OR STARTS_WITH(REPLACE(LOWER("t3"."image"), '/', '\'), '\systemroot\')
                  )
                ),
                FALSE
              )
            )
            AND "t3"."time_us" <= (
              "t25"."c_time" + (
                ABS("t25"."c_skew") + "t25"."c_tol"
              )
            )
        ) AS "t27"
        WHERE
          (
            (
              (
                "t27"."channel" = "t27"."c_channel"
              )
              AND (
                NOT "t27"."record_id" IS NULL
              )
              AND (
                NOT "t27"."c_record" IS NULL
              )
              AND (
                "t27"."record_id" < "t27"."c_record"
              )
            )
            OR (
              NOT (
                (
                  "t27"."channel" = "t27"."c_channel"
                )
                AND (
                  NOT "t27"."record_id" IS NULL
                )
                AND (
                  NOT "t27"."c_record" IS NULL
                )
              )
              AND (
                (
                  "t27"."time_us" - IF(STRPOS(LOWER("t27"."channel"), 'sysmon') > 0, "t27"."c_skew", 0)
                ) <= (
                  "t27"."c_sec" + "t27"."c_tol"
                )
              )
            )
          )
          AND (
            (
              (
                "t27"."time_us" - IF(STRPOS(LOWER("t27"."channel"), 'sysmon') > 0, "t27"."c_skew", 0)
              ) >= (
                "t27"."c_sec" - 120000000
              )
            )
            OR COALESCE(
              REPLACE(LOWER("t27"."image"), '/', '\') IN (
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
                SUBSTR(REPLACE(LOWER("t27"."image"), '/', '\'), -LENGTH('\powershell.exe')) = '\powershell.exe'
              )
              OR (
                SUBSTR(REPLACE(LOWER("t27"."image"), '/', '\'), -LENGTH('\pwsh.exe')) = '\pwsh.exe'
              )
              OR (
                SUBSTR(REPLACE(LOWER("t27"."image"), '/', '\'), -LENGTH('\powershell_ise.exe')) = '\powershell_ise.exe'
              )
              OR (
                SUBSTR(REPLACE(LOWER("t27"."image"), '/', '\'), -LENGTH('\wsmprovhost.exe')) = '\wsmprovhost.exe'
              )
              OR (
                SUBSTR(REPLACE(LOWER("t27"."image"), '/', '\'), -LENGTH('\cscript.exe')) = '\cscript.exe'
              )
              OR (
                SUBSTR(REPLACE(LOWER("t27"."image"), '/', '\'), -LENGTH('\wscript.exe')) = '\wscript.exe'
              )
              OR (
                SUBSTR(REPLACE(LOWER("t27"."image"), '/', '\'), -LENGTH('\mshta.exe')) = '\mshta.exe'
              )
              OR (
                SUBSTR(REPLACE(LOWER("t27"."image"), '/', '\'), -LENGTH('\wmiprvse.exe')) = '\wmiprvse.exe'
              )
              OR (
                SUBSTR(REPLACE(LOWER("t27"."image"), '/', '\'), -LENGTH('\mmc.exe')) = '\mmc.exe'
              )
              OR (
                SUBSTR(REPLACE(LOWER("t27"."image"), '/', '\'), -LENGTH('\rundll32.exe')) = '\rundll32.exe'
              )
              OR (
                SUBSTR(REPLACE(LOWER("t27"."image"), '/', '\'), -LENGTH('\python.exe')) = '\python.exe'
              )
              OR (
                (
                  STRPOS(REPLACE(LOWER("t27"."image"), '/', '\'), '\') > 0
                )
                AND NOT (
                  FALSE
                  OR STARTS_WITH(REPLACE(LOWER("t27"."image"), '/', '\'), 'c:\windows\system32\')
                  OR STARTS_WITH(REPLACE(LOWER("t27"."image"), '/', '\'), 'c:\windows\syswow64\')
                  OR STARTS_WITH(REPLACE(LOWER("t27"."image"), '/', '\'), 'c:\windows\')
                  OR STARTS_WITH(REPLACE(LOWER("t27"."image"), '/', '\'), 'c:\program files\')
                  OR STARTS_WITH(REPLACE(LOWER("t27"."image"), '/', '\'), 'c:\program files (x86)\')
                  OR STARTS_WITH(REPLACE(LOWER("t27"."image"), '/', '\'), '%systemroot%\')
                  OR STARTS_WITH(REPLACE(LOWER("t27"."image"), '/', '\'), '\systemroot\')
                )
              ),
              FALSE
            )
          )
      ) AS "t33"
      WHERE
        NOT EXISTS(
          SELECT
            1
          FROM (
            SELECT
              "t1"."host" AS "e_host",
              "t1"."pid" AS "e_pid",
              "t1"."process_guid" AS "e_guid",
              "t1"."time_us" AS "e_time",
              "t1"."channel" AS "e_channel",
              "t1"."record_id" AS "e_record"
            FROM "process_end" AS "t1"
          ) AS "t10"
          WHERE
            "t33"."host" = "t10"."e_host"
            AND "t33"."pid" = "t10"."e_pid"
            AND (
              (
                "t33"."process_guid" IS NULL
              )
              OR (
                "t10"."e_guid" IS NULL
              )
              OR (
                "t33"."process_guid" = "t10"."e_guid"
              )
            )
            AND "t10"."e_time" >= "t33"."time_us"
            AND (
              (
                (
                  "t10"."e_channel" = "t33"."c_channel"
                )
                AND (
                  NOT "t10"."e_record" IS NULL
                )
                AND (
                  NOT "t33"."c_record" IS NULL
                )
                AND (
                  "t10"."e_record" < "t33"."c_record"
                )
              )
              OR (
                NOT (
                  (
                    "t10"."e_channel" = "t33"."c_channel"
                  )
                  AND (
                    NOT "t10"."e_record" IS NULL
                  )
                  AND (
                    NOT "t33"."c_record" IS NULL
                  )
                )
                AND (
                  (
                    "t10"."e_time" - IF(STRPOS(LOWER("t10"."e_channel"), 'sysmon') > 0, "t33"."c_skew", 0)
                  ) < (
                    "t33"."c_sec" - "t33"."c_tol"
                  )
                )
              )
            )
        )
    ) AS "t34"
  ) AS "t35"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t30"."creation_key",
      "t30"."c_time",
      "t30"."event_key",
      "t30"."host",
      "t30"."host_name",
      "t30"."time_us",
      "t30"."record_id",
      "t30"."event_id",
      "t30"."channel",
      "t30"."file",
      "t30"."sha256",
      "t30"."pid",
      "t30"."parent_pid",
      "t30"."logon_id",
      "t30"."image",
      "t30"."command_line",
      "t30"."parent_image",
      "t30"."parent_command_line",
      "t30"."process_guid",
      "t30"."parent_process_guid",
      "t30"."user_sid",
      "t30"."user_name",
      "t30"."user_domain",
      "t30"."integrity",
      "t30"."telemetry",
      "t30"."surely_before",
      "t30"."in_window"
    FROM (
      SELECT
        "t29"."creation_key",
        "t29"."c_host",
        "t29"."c_time",
        "t29"."c_logon",
        "t29"."c_channel",
        "t29"."c_record",
        "t29"."c_name",
        "t29"."c_skew",
        "t29"."c_tol",
        "t29"."c_sec",
        "t29"."event_key",
        "t29"."host",
        "t29"."host_name",
        "t29"."time_us",
        "t29"."record_id",
        "t29"."event_id",
        "t29"."channel",
        "t29"."file",
        "t29"."sha256",
        "t29"."pid",
        "t29"."parent_pid",
        "t29"."logon_id",
        "t29"."image",
        "t29"."command_line",
        "t29"."parent_image",
        "t29"."parent_command_line",
        "t29"."process_guid",
        "t29"."parent_process_guid",
        "t29"."user_sid",
        "t29"."user_name",
        "t29"."user_domain",
        "t29"."integrity",
        "t29"."telemetry",
        "t29"."surely_before",
        "t29"."in_window"
      FROM (
        SELECT
          "t26"."creation_key",
          "t26"."c_host",
          "t26"."c_time",
          "t26"."c_logon",
          "t26"."c_channel",
          "t26"."c_record",
          "t26"."c_name",
          "t26"."c_skew",
          "t26"."c_tol",
          "t26"."c_sec",
          "t26"."event_key",
          "t26"."host",
          "t26"."host_name",
          "t26"."time_us",
          "t26"."record_id",
          "t26"."event_id",
          "t26"."channel",
          "t26"."file",
          "t26"."sha256",
          "t26"."pid",
          "t26"."parent_pid",
          "t26"."logon_id",
          "t26"."image",
          "t26"."command_line",
          "t26"."parent_image",
          "t26"."parent_command_line",
          "t26"."process_guid",
          "t26"."parent_process_guid",
          "t26"."user_sid",
          "t26"."user_name",
          "t26"."user_domain",
          "t26"."integrity",
          "t26"."telemetry",
          (
            (
              "t26"."channel" = "t26"."c_channel"
            )
            AND (
              NOT "t26"."record_id" IS NULL
            )
            AND (
              NOT "t26"."c_record" IS NULL
            )
            AND (
              "t26"."record_id" < "t26"."c_record"
            )
          )
          OR (
            NOT (
              (
                "t26"."channel" = "t26"."c_channel"
              )
              AND (
                NOT "t26"."record_id" IS NULL
              )
              AND (
                NOT "t26"."c_record" IS NULL
              )
            )
            AND (
              (
                "t26"."time_us" - IF(STRPOS(LOWER("t26"."channel"), 'sysmon') > 0, "t26"."c_skew", 0)
              ) < (
                "t26"."c_sec" - "t26"."c_tol"
              )
            )
          ) AS "surely_before",
          (
            "t26"."time_us" - IF(STRPOS(LOWER("t26"."channel"), 'sysmon') > 0, "t26"."c_skew", 0)
          ) >= (
            "t26"."c_sec" - 120000000
          ) AS "in_window"
        FROM (
          SELECT
            "t25"."creation_key",
            "t25"."c_host",
            "t25"."c_time",
            "t25"."c_logon",
            "t25"."c_channel",
            "t25"."c_record",
            "t25"."c_name",
            "t25"."c_skew",
            "t25"."c_tol",
            "t25"."c_sec",
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
            SELECT
              "t23"."creation_key",
              "t23"."c_host",
              "t23"."c_time",
              "t23"."c_logon",
              "t23"."c_channel",
              "t23"."c_record",
              "t23"."c_name",
              COALESCE("t23"."k_skew", 0) AS "c_skew",
              COALESCE("t23"."k_tol", 5000000) AS "c_tol",
              "t23"."c_time" - IF(STRPOS(LOWER("t23"."c_channel"), 'sysmon') > 0, COALESCE("t23"."k_skew", 0), 0) AS "c_sec"
            FROM (
              SELECT
                "t13"."creation_key",
                "t13"."c_host",
                "t13"."c_time",
                "t13"."c_logon",
                "t13"."c_channel",
                "t13"."c_record",
                "t13"."c_name",
                "t22"."k_host",
                "t22"."k_skew",
                "t22"."k_tol"
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
              ) AS "t13"
              LEFT OUTER JOIN (
                SELECT
                  "t20"."host" AS "k_host",
                  IF("t20"."pairs" >= 3, "t20"."median_us", 0) AS "k_skew",
                  IF(
                    "t20"."pairs" >= 3,
                    LEAST((
                      "t20"."high_us" - "t20"."low_us"
                    ) + 10000, 5000000),
                    5000000
                  ) AS "k_tol"
                FROM (
                  SELECT
                    "t19"."host",
                    COUNT(*) AS "pairs",
                    CAST(APPROX_PERCENTILE("t19"."delta_us", 0.5) AS BIGINT) AS "median_us",
                    MIN("t19"."delta_us") AS "low_us",
                    MAX("t19"."delta_us") AS "high_us"
                  FROM (
                    SELECT
                      "t18"."host",
                      "t18"."delta_us"
                    FROM (
                      SELECT
                        "t17"."event_key",
                        "t17"."host",
                        "t17"."host_name",
                        "t17"."time_us",
                        "t17"."record_id",
                        "t17"."event_id",
                        "t17"."channel",
                        "t17"."file",
                        "t17"."sha256",
                        "t17"."pid",
                        "t17"."parent_pid",
                        "t17"."logon_id",
                        "t17"."image",
                        "t17"."command_line",
                        "t17"."parent_image",
                        "t17"."parent_command_line",
                        "t17"."process_guid",
                        "t17"."parent_process_guid",
                        "t17"."user_sid",
                        "t17"."user_name",
                        "t17"."user_domain",
                        "t17"."integrity",
                        "t17"."telemetry",
                        "t17"."p_host",
                        "t17"."p_pid",
                        "t17"."p_image",
                        "t17"."p_time",
                        "t17"."p_key",
                        "t17"."delta_us",
                        ROW_NUMBER() OVER (
                          PARTITION BY "t17"."event_key"
                          ORDER BY ABS("t17"."delta_us") ASC, "t17"."p_key" ASC
                        ) - 1 AS "_rank"
                      FROM (
                        SELECT
                          "t16"."event_key",
                          "t16"."host",
                          "t16"."host_name",
                          "t16"."time_us",
                          "t16"."record_id",
                          "t16"."event_id",
                          "t16"."channel",
                          "t16"."file",
                          "t16"."sha256",
                          "t16"."pid",
                          "t16"."parent_pid",
                          "t16"."logon_id",
                          "t16"."image",
                          "t16"."command_line",
                          "t16"."parent_image",
                          "t16"."parent_command_line",
                          "t16"."process_guid",
                          "t16"."parent_process_guid",
                          "t16"."user_sid",
                          "t16"."user_name",
                          "t16"."user_domain",
                          "t16"."integrity",
                          "t16"."telemetry",
                          "t16"."p_host",
                          "t16"."p_pid",
                          "t16"."p_image",
                          "t16"."p_time",
                          "t16"."p_key",
                          "t16"."time_us" - "t16"."p_time" AS "delta_us"
                        FROM (
                          SELECT
                            "t14"."event_key",
                            "t14"."host",
                            "t14"."host_name",
                            "t14"."time_us",
                            "t14"."record_id",
                            "t14"."event_id",
                            "t14"."channel",
                            "t14"."file",
                            "t14"."sha256",
                            "t14"."pid",
                            "t14"."parent_pid",
                            "t14"."logon_id",
                            "t14"."image",
                            "t14"."command_line",
                            "t14"."parent_image",
                            "t14"."parent_command_line",
                            "t14"."process_guid",
                            "t14"."parent_process_guid",
                            "t14"."user_sid",
                            "t14"."user_name",
                            "t14"."user_domain",
                            "t14"."integrity",
                            "t14"."telemetry",
                            "t15"."p_host",
                            "t15"."p_pid",
                            "t15"."p_image",
                            "t15"."p_time",
                            "t15"."p_key"
                          FROM (
                            SELECT
                              "t2"."event_key",
                              "t2"."host",
                              "t2"."host_name",
                              "t2"."time_us",
                              "t2"."record_id",
                              "t2"."event_id",
                              "t2"."channel",
                              "t2"."file",
                              "t2"."sha256",
                              "t2"."pid",
                              "t2"."parent_pid",
                              "t2"."logon_id",
                              "t2"."image",
                              "t2"."command_line",
                              "t2"."parent_image",
                              "t2"."parent_command_line",
                              "t2"."process_guid",
                              "t2"."parent_process_guid",
                              "t2"."user_sid",
                              "t2"."user_name",
                              "t2"."user_domain",
                              "t2"."integrity",
                              "t2"."telemetry"
                            FROM "process" AS "t2"
                            WHERE
                              "t2"."telemetry" = 'sysmon-1'
                          ) AS "t14"
                          INNER JOIN (
                            SELECT
                              "t2"."host" AS "p_host",
                              "t2"."pid" AS "p_pid",
                              LOWER("t2"."image") AS "p_image",
                              "t2"."time_us" AS "p_time",
                              "t2"."event_key" AS "p_key"
                            FROM "process" AS "t2"
                            WHERE
                              "t2"."telemetry" = 'security-4688'
                          ) AS "t15"
                            ON "t14"."host" = "t15"."p_host"
                            AND "t14"."pid" = "t15"."p_pid"
                            AND LOWER("t14"."image") = "t15"."p_image"
                            AND ABS("t14"."time_us" - "t15"."p_time") <= 60000000
                        ) AS "t16"
                      ) AS "t17"
                    ) AS "t18"
                    WHERE
                      "t18"."_rank" = 0
                  ) AS "t19"
                  GROUP BY
                    1
                ) AS "t20"
              ) AS "t22"
                ON "t13"."c_host" = "t22"."k_host"
            ) AS "t23"
          ) AS "t25"
          INNER JOIN "process" AS "t3"
            ON "t25"."c_host" = "t3"."host"
            AND "t25"."c_logon" IS NULL
            AND "t3"."time_us" >= (
              (
                "t25"."c_time" - 120000000
              ) - (
                ABS("t25"."c_skew") + "t25"."c_tol"
              )
            )
            AND "t3"."time_us" <= (
              "t25"."c_time" + (
                ABS("t25"."c_skew") + "t25"."c_tol"
              )
            )
            AND STRPOS(LOWER("t3"."command_line"), "t25"."c_name") > 0
        ) AS "t26"
        WHERE
          (
            (
              (
                "t26"."channel" = "t26"."c_channel"
              )
              AND (
                NOT "t26"."record_id" IS NULL
              )
              AND (
                NOT "t26"."c_record" IS NULL
              )
              AND (
                "t26"."record_id" < "t26"."c_record"
              )
            )
            OR (
              NOT (
                (
                  "t26"."channel" = "t26"."c_channel"
                )
                AND (
                  NOT "t26"."record_id" IS NULL
                )
                AND (
                  NOT "t26"."c_record" IS NULL
                )
              )
              AND (
                (
                  "t26"."time_us" - IF(STRPOS(LOWER("t26"."channel"), 'sysmon') > 0, "t26"."c_skew", 0)
                ) <= (
                  "t26"."c_sec" + "t26"."c_tol"
                )
              )
            )
          )
          AND (
            "t26"."time_us" - IF(STRPOS(LOWER("t26"."channel"), 'sysmon') > 0, "t26"."c_skew", 0)
          ) >= (
            "t26"."c_sec" - 120000000
          )
      ) AS "t29"
      WHERE
        NOT EXISTS(
          SELECT
            1
          FROM (
            SELECT
              "t1"."host" AS "e_host",
              "t1"."pid" AS "e_pid",
              "t1"."process_guid" AS "e_guid",
              "t1"."time_us" AS "e_time",
              "t1"."channel" AS "e_channel",
              "t1"."record_id" AS "e_record"
            FROM "process_end" AS "t1"
          ) AS "t10"
          WHERE
            "t29"."host" = "t10"."e_host"
            AND "t29"."pid" = "t10"."e_pid"
            AND (
              (
                "t29"."process_guid" IS NULL
              )
              OR (
                "t10"."e_guid" IS NULL
              )
              OR (
                "t29"."process_guid" = "t10"."e_guid"
              )
            )
            AND "t10"."e_time" >= "t29"."time_us"
            AND (
              (
                (
                  "t10"."e_channel" = "t29"."c_channel"
                )
                AND (
                  NOT "t10"."e_record" IS NULL
                )
                AND (
                  NOT "t29"."c_record" IS NULL
                )
                AND (
                  "t10"."e_record" < "t29"."c_record"
                )
              )
              OR (
                NOT (
                  (
                    "t10"."e_channel" = "t29"."c_channel"
                  )
                  AND (
                    NOT "t10"."e_record" IS NULL
                  )
                  AND (
                    NOT "t29"."c_record" IS NULL
                  )
                )
                AND (
                  (
                    "t10"."e_time" - IF(STRPOS(LOWER("t10"."e_channel"), 'sysmon') > 0, "t29"."c_skew", 0)
                  ) < (
                    "t29"."c_sec" - "t29"."c_tol"
                  )
                )
              )
            )
        )
    ) AS "t30"
  ) AS "t32"
)
SELECT
  "t49"."creation_key",
  "t49"."creation_time_us",
  "t49"."host",
  "t49"."host_name",
  "t49"."account_sid",
  "t49"."account_name",
  "t49"."account_domain",
  "t49"."creator_sid",
  "t49"."creator_name",
  "t49"."creator_domain",
  "t49"."creator_logon_id",
  "t49"."process_key",
  "t49"."process_time_us",
  "t49"."telemetry",
  "t49"."in_window",
  "t49"."pid",
  "t49"."parent_pid",
  "t49"."logon_id",
  "t49"."image",
  "t49"."command_line",
  "t49"."parent_key",
  "t49"."parent_image",
  IF(
    TRUE
    AND (
      FALSE
      OR (
        TRUE
        AND COALESCE(REGEXP_LIKE(LOWER("t49"."creator_domain"), '^corp$'), FALSE)
        AND COALESCE(REGEXP_LIKE(LOWER("t49"."creator_name"), '^svc\-provision$'), FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(REGEXP_LIKE(LOWER("t49"."host_name"), '^dc.*$'), FALSE)
      )
      OR (
        TRUE AND COALESCE(REGEXP_LIKE(LOWER("t49"."host_name"), '^dc.*\..*$'), FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(REGEXP_LIKE(LOWER("t49"."image"), '^powershell\.exe$'), FALSE)
      )
      OR (
        TRUE
        AND COALESCE(REGEXP_LIKE(LOWER("t49"."image"), '^.*\\powershell\.exe$'), FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(REGEXP_LIKE(LOWER("t49"."account_name"), '^[a-z].*$'), FALSE)
      )
    )
    AND (
      "t49"."creation_time_us" >= 1704067200000000
    ),
    'hr-onboarding-feed',
    IF(
      TRUE
      AND (
        FALSE
        OR (
          TRUE
          AND COALESCE(REGEXP_LIKE(LOWER("t49"."creator_domain"), '^corp$'), FALSE)
          AND COALESCE(REGEXP_LIKE(LOWER("t49"."creator_name"), '^helpdesk1$'), FALSE)
        )
        OR (
          TRUE
          AND COALESCE(REGEXP_LIKE(LOWER("t49"."creator_domain"), '^corp$'), FALSE)
          AND COALESCE(REGEXP_LIKE(LOWER("t49"."creator_name"), '^helpdesk2$'), FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(REGEXP_LIKE(LOWER("t49"."host_name"), '^dc.*$'), FALSE)
        )
        OR (
          TRUE AND COALESCE(REGEXP_LIKE(LOWER("t49"."host_name"), '^dc.*\..*$'), FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(REGEXP_LIKE(LOWER("t49"."image"), '^mmc\.exe$'), FALSE)
        )
        OR (
          TRUE AND COALESCE(REGEXP_LIKE(LOWER("t49"."image"), '^.*\\mmc\.exe$'), FALSE)
        )
      ),
      'helpdesk-aduc',
      CAST(NULL AS VARCHAR)
    )
  ) AS "approved_by"
FROM (
  SELECT
    "t38"."creation_key",
    "t38"."c_time" AS "creation_time_us",
    "t38"."host",
    "t38"."host_name",
    "t8"."account_sid",
    "t8"."account_name",
    "t8"."account_domain",
    "t8"."creator_sid",
    "t8"."creator_name",
    "t8"."creator_domain",
    "t8"."creator_logon_id",
    "t38"."event_key" AS "process_key",
    "t38"."time_us" AS "process_time_us",
    "t38"."telemetry",
    "t38"."in_window",
    "t38"."pid",
    "t38"."parent_pid",
    "t38"."logon_id",
    "t38"."image",
    "t38"."command_line",
    "t48"."parent_key",
    COALESCE("t48"."p_image", "t38"."parent_image") AS "parent_image"
  FROM "t36" AS "t38"
  LEFT OUTER JOIN (
    SELECT
      "t46"."lineage_of" AS "p_of",
      "t46"."event_key" AS "parent_key",
      "t46"."image" AS "p_image"
    FROM (
      SELECT
        "t45"."lineage_of",
        "t45"."child_key",
        "t45"."child_host",
        "t45"."child_time",
        "t45"."child_parent_pid",
        "t45"."child_parent_guid",
        "t45"."child_parent_image",
        "t45"."depth",
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
        "t45"."telemetry",
        "t45"."_by",
        ROW_NUMBER() OVER (
          PARTITION BY "t45"."lineage_of", "t45"."child_key"
          ORDER BY "t45"."_by" ASC, "t45"."time_us" DESC, "t45"."event_key" ASC
        ) - 1 AS "_rank"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t41"."lineage_of",
            "t41"."child_key",
            "t41"."child_host",
            "t41"."child_time",
            "t41"."child_parent_pid",
            "t41"."child_parent_guid",
            "t41"."child_parent_image",
            "t41"."depth",
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
            0 AS "_by"
          FROM (
            SELECT
              "t40"."lineage_of",
              "t40"."child_key",
              "t40"."child_host",
              "t40"."child_time",
              "t40"."child_parent_pid",
              "t40"."child_parent_guid",
              "t40"."child_parent_image",
              "t40"."depth",
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
                "t37"."event_key" AS "lineage_of",
                "t37"."event_key" AS "child_key",
                "t37"."host" AS "child_host",
                "t37"."time_us" AS "child_time",
                "t37"."parent_pid" AS "child_parent_pid",
                "t37"."parent_process_guid" AS "child_parent_guid",
                "t37"."parent_image" AS "child_parent_image",
                0 AS "depth"
              FROM "t36" AS "t37"
            ) AS "t40"
            INNER JOIN "process" AS "t3"
              ON "t40"."child_host" = "t3"."host"
              AND "t40"."child_parent_guid" = "t3"."process_guid"
          ) AS "t41"
        ) AS "t42"
        UNION ALL
        SELECT
          *
        FROM (
          SELECT
            "t43"."lineage_of",
            "t43"."child_key",
            "t43"."child_host",
            "t43"."child_time",
            "t43"."child_parent_pid",
            "t43"."child_parent_guid",
            "t43"."child_parent_image",
            "t43"."depth",
            "t43"."event_key",
            "t43"."host",
            "t43"."host_name",
            "t43"."time_us",
            "t43"."record_id",
            "t43"."event_id",
            "t43"."channel",
            "t43"."file",
            "t43"."sha256",
            "t43"."pid",
            "t43"."parent_pid",
            "t43"."logon_id",
            "t43"."image",
            "t43"."command_line",
            "t43"."parent_image",
            "t43"."parent_command_line",
            "t43"."process_guid",
            "t43"."parent_process_guid",
            "t43"."user_sid",
            "t43"."user_name",
            "t43"."user_domain",
            "t43"."integrity",
            "t43"."telemetry",
            1 AS "_by"
          FROM (
            SELECT
              "t40"."lineage_of",
              "t40"."child_key",
              "t40"."child_host",
              "t40"."child_time",
              "t40"."child_parent_pid",
              "t40"."child_parent_guid",
              "t40"."child_parent_image",
              "t40"."depth",
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
                "t37"."event_key" AS "lineage_of",
                "t37"."event_key" AS "child_key",
                "t37"."host" AS "child_host",
                "t37"."time_us" AS "child_time",
                "t37"."parent_pid" AS "child_parent_pid",
                "t37"."parent_process_guid" AS "child_parent_guid",
                "t37"."parent_image" AS "child_parent_image",
                0 AS "depth"
              FROM "t36" AS "t37"
            ) AS "t40"
            INNER JOIN "process" AS "t3"
              ON "t40"."child_host" = "t3"."host"
              AND "t40"."child_parent_pid" = "t3"."pid"
              AND "t3"."time_us" <= "t40"."child_time"
              AND "t3"."event_key" <> "t40"."child_key"
              AND (
                (
                  "t40"."child_parent_image" IS NULL
                )
                OR (
                  LOWER("t40"."child_parent_image") = LOWER("t3"."image")
                )
              )
            WHERE
              NOT EXISTS(
                SELECT
                  1
                FROM (
                  SELECT
                    "t1"."host" AS "e_host",
                    "t1"."pid" AS "e_pid",
                    "t1"."time_us" AS "e_time"
                  FROM "process_end" AS "t1"
                ) AS "t9"
                WHERE
                  "t3"."host" = "t9"."e_host"
                  AND "t3"."pid" = "t9"."e_pid"
                  AND "t9"."e_time" >= "t3"."time_us"
                  AND "t9"."e_time" < "t40"."child_time"
              )
          ) AS "t43"
        ) AS "t44"
      ) AS "t45"
    ) AS "t46"
    WHERE
      "t46"."_rank" = 0
  ) AS "t48"
    ON "t38"."event_key" = "t48"."p_of"
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
  ) AS "t8"
    ON "t38"."creation_key" = "t8"."creation_key"
) AS "t49";
