-- acctrace VERSION export of MITRE ATT&CK AN1604 (T1136 Create Account).
-- Detects: every account creation (4720, or a SAM key write without one) paired with each
--     process in the creator's logon session on that host that started in the window
--     (security-4688 or sysmon-1) or, if a script host or a binary from outside the Windows
--     folders (`in_window` false), earlier and not ended before it, or, when the session is
--     unknown, each process whose command line names the account. Views
--     acctrace_an1604_creation and acctrace_an1604_pair over the tables creation, process,
--     process_end, sam_write (acctrace's event model, docs/export.md); dialect duckdb.
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
    CAST(NULL AS TEXT) AS "account_sid",
    "t7"."account_name",
    CAST(NULL AS TEXT) AS "account_domain",
    "t7"."account_name" AS "sam_account_name",
    CAST(NULL AS TEXT) AS "display_name",
    CAST(NULL AS TEXT) AS "user_principal_name",
    CAST(NULL AS TEXT) AS "creator_sid",
    CAST(NULL AS TEXT) AS "creator_name",
    CAST(NULL AS TEXT) AS "creator_domain",
    CAST(NULL AS TEXT) AS "creator_logon_id",
    CAST(NULL AS TEXT) AS "new_uac",
    CAST(NULL AS TEXT) AS "primary_group_id"
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
          NOT "t1"."account_name" IS NULL
          AND "t1"."hidden_from_logon" IS NULL
          AND "t1"."action" IN ('CreateKey', 'SetValue')
      ) AS "t3"
    ) AS "t5"
    WHERE
      "t5"."_rank" = 0
  ) AS "t7"
  ANTI JOIN (
    SELECT
      "t0"."host" AS "k_host",
      LOWER("t0"."account_name") AS "k_name"
    FROM "creation" AS "t0"
  ) AS "t4"
    ON "t7"."host" = "t4"."k_host" AND "t7"."name_key" = "t4"."k_name"
) AS "t8";
CREATE OR REPLACE VIEW acctrace_an1604_pair AS
WITH "t39" AS (
  SELECT
    *
  FROM (
    SELECT
      "t37"."creation_key",
      "t37"."c_time",
      "t37"."event_key",
      "t37"."host",
      "t37"."host_name",
      "t37"."time_us",
      "t37"."record_id",
      "t37"."event_id",
      "t37"."channel",
      "t37"."file",
      "t37"."sha256",
      "t37"."pid",
      "t37"."parent_pid",
      "t37"."logon_id",
      "t37"."image",
      "t37"."command_line",
      "t37"."parent_image",
      "t37"."parent_command_line",
      "t37"."process_guid",
      "t37"."parent_process_guid",
      "t37"."user_sid",
      "t37"."user_name",
      "t37"."user_domain",
      "t37"."integrity",
      "t37"."telemetry",
      "t37"."surely_before",
      "t37"."in_window"
    FROM (
      SELECT
        "t36"."creation_key",
        "t36"."c_host",
        "t36"."c_time",
        "t36"."c_logon",
        "t36"."c_channel",
        "t36"."c_record",
        "t36"."c_name",
        "t36"."c_skew",
        "t36"."c_tol",
        "t36"."c_sec",
        "t36"."event_key",
        "t36"."host",
        "t36"."host_name",
        "t36"."time_us",
        "t36"."record_id",
        "t36"."event_id",
        "t36"."channel",
        "t36"."file",
        "t36"."sha256",
        "t36"."pid",
        "t36"."parent_pid",
        "t36"."logon_id",
        "t36"."image",
        "t36"."command_line",
        "t36"."parent_image",
        "t36"."parent_command_line",
        "t36"."process_guid",
        "t36"."parent_process_guid",
        "t36"."user_sid",
        "t36"."user_name",
        "t36"."user_domain",
        "t36"."integrity",
        "t36"."telemetry",
        "t36"."surely_before",
        "t36"."in_window"
      FROM (
        SELECT
          "t30"."creation_key",
          "t30"."c_host",
          "t30"."c_time",
          "t30"."c_logon",
          "t30"."c_channel",
          "t30"."c_record",
          "t30"."c_name",
          "t30"."c_skew",
          "t30"."c_tol",
          "t30"."c_sec",
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
          (
            (
              "t30"."channel" = "t30"."c_channel"
            )
            AND (
              NOT "t30"."record_id" IS NULL
            )
            AND (
              NOT "t30"."c_record" IS NULL
            )
            AND (
              "t30"."record_id" < "t30"."c_record"
            )
          )
          OR (
            NOT (
              (
                "t30"."channel" = "t30"."c_channel"
              )
              AND (
                NOT "t30"."record_id" IS NULL
              )
              AND (
                NOT "t30"."c_record" IS NULL
              )
            )
            AND (
              (
                "t30"."time_us" - CASE WHEN CONTAINS(LOWER("t30"."channel"), 'sysmon') THEN "t30"."c_skew" ELSE 0 END
              ) < (
                "t30"."c_sec" - "t30"."c_tol"
              )
            )
          ) AS "surely_before",
          (
            "t30"."time_us" - CASE WHEN CONTAINS(LOWER("t30"."channel"), 'sysmon') THEN "t30"."c_skew" ELSE 0 END
          ) >= (
            "t30"."c_sec" - 120000000
          ) AS "in_window"
        FROM (
          SELECT
            "t28"."creation_key",
            "t28"."c_host",
            "t28"."c_time",
            "t28"."c_logon",
            "t28"."c_channel",
            "t28"."c_record",
            "t28"."c_name",
            "t28"."c_skew",
            "t28"."c_tol",
            "t28"."c_sec",
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
              "t26"."creation_key",
              "t26"."c_host",
              "t26"."c_time",
              "t26"."c_logon",
              "t26"."c_channel",
              "t26"."c_record",
              "t26"."c_name",
              COALESCE("t26"."k_skew", 0) AS "c_skew",
              COALESCE("t26"."k_tol", 5000000) AS "c_tol",
              "t26"."c_time" - CASE
                WHEN CONTAINS(LOWER("t26"."c_channel"), 'sysmon')
                THEN COALESCE("t26"."k_skew", 0)
                ELSE 0
              END AS "c_sec"
            FROM (
              SELECT
                "t15"."creation_key",
                "t15"."c_host",
                "t15"."c_time",
                "t15"."c_logon",
                "t15"."c_channel",
                "t15"."c_record",
                "t15"."c_name",
                "t25"."k_host",
                "t25"."k_skew",
                "t25"."k_tol"
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
              ) AS "t15"
              LEFT OUTER JOIN (
                SELECT
                  "t23"."host" AS "k_host",
                  CASE WHEN "t23"."pairs" >= 3 THEN "t23"."median_us" ELSE 0 END AS "k_skew",
                  CASE
                    WHEN "t23"."pairs" >= 3
                    THEN LEAST((
                      "t23"."high_us" - "t23"."low_us"
                    ) + 10000, 5000000)
                    ELSE 5000000
                  END AS "k_tol"
                FROM (
                  SELECT
                    "t22"."host",
                    COUNT(*) AS "pairs",
                    CAST(APPROX_QUANTILE("t22"."delta_us", 0.5) AS BIGINT) AS "median_us",
                    MIN("t22"."delta_us") AS "low_us",
                    MAX("t22"."delta_us") AS "high_us"
                  FROM (
                    SELECT
                      "t21"."host",
                      "t21"."delta_us"
                    FROM (
                      SELECT
                        "t20"."event_key",
                        "t20"."host",
                        "t20"."host_name",
                        "t20"."time_us",
                        "t20"."record_id",
                        "t20"."event_id",
                        "t20"."channel",
                        "t20"."file",
                        "t20"."sha256",
                        "t20"."pid",
                        "t20"."parent_pid",
                        "t20"."logon_id",
                        "t20"."image",
                        "t20"."command_line",
                        "t20"."parent_image",
                        "t20"."parent_command_line",
                        "t20"."process_guid",
                        "t20"."parent_process_guid",
                        "t20"."user_sid",
                        "t20"."user_name",
                        "t20"."user_domain",
                        "t20"."integrity",
                        "t20"."telemetry",
                        "t20"."p_host",
                        "t20"."p_pid",
                        "t20"."p_image",
                        "t20"."p_time",
                        "t20"."p_key",
                        "t20"."delta_us",
                        ROW_NUMBER() OVER (
                          PARTITION BY "t20"."event_key"
                          ORDER BY ABS("t20"."delta_us") ASC, "t20"."p_key" ASC
                          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                        ) - 1 AS "_rank"
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
                          "t19"."p_host",
                          "t19"."p_pid",
                          "t19"."p_image",
                          "t19"."p_time",
                          "t19"."p_key",
                          "t19"."time_us" - "t19"."p_time" AS "delta_us"
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
                            "t18"."p_host",
                            "t18"."p_pid",
                            "t18"."p_image",
                            "t18"."p_time",
                            "t18"."p_key"
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
                          ) AS "t17"
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
                          ) AS "t18"
                            ON "t17"."host" = "t18"."p_host"
                            AND "t17"."pid" = "t18"."p_pid"
                            AND LOWER("t17"."image") = "t18"."p_image"
                            AND ABS("t17"."time_us" - "t18"."p_time") <= 60000000
                        ) AS "t19"
                      ) AS "t20"
                    ) AS "t21"
                    WHERE
                      "t21"."_rank" = 0
                  ) AS "t22"
                  GROUP BY
                    1
                ) AS "t23"
              ) AS "t25"
                ON "t15"."c_host" = "t25"."k_host"
            ) AS "t26"
          ) AS "t28"
          INNER JOIN "process" AS "t4"
            ON "t28"."c_host" = "t4"."host"
            AND "t28"."c_logon" = "t4"."logon_id"
            AND (
              (
                "t4"."time_us" >= (
                  (
                    "t28"."c_time" - 120000000
                  ) - (
                    ABS("t28"."c_skew") + "t28"."c_tol"
                  )
                )
              )
              OR COALESCE(
                REPLACE(LOWER("t4"."image"), '/', '\') IN (
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
                OR SUFFIX(REPLACE(LOWER("t4"."image"), '/', '\'), '\powershell.exe')
                OR SUFFIX(REPLACE(LOWER("t4"."image"), '/', '\'), '\pwsh.exe')
                OR SUFFIX(REPLACE(LOWER("t4"."image"), '/', '\'), '\powershell_ise.exe')
                OR SUFFIX(REPLACE(LOWER("t4"."image"), '/', '\'), '\wsmprovhost.exe')
                OR SUFFIX(REPLACE(LOWER("t4"."image"), '/', '\'), '\cscript.exe')
                OR SUFFIX(REPLACE(LOWER("t4"."image"), '/', '\'), '\wscript.exe')
                OR SUFFIX(REPLACE(LOWER("t4"."image"), '/', '\'), '\mshta.exe')
                OR SUFFIX(REPLACE(LOWER("t4"."image"), '/', '\'), '\wmiprvse.exe')
                OR SUFFIX(REPLACE(LOWER("t4"."image"), '/', '\'), '\mmc.exe')
                OR SUFFIX(REPLACE(LOWER("t4"."image"), '/', '\'), '\rundll32.exe')
                OR SUFFIX(REPLACE(LOWER("t4"."image"), '/', '\'), '\python.exe')
                OR (
                  CONTAINS(REPLACE(LOWER("t4"."image"), '/', '\'), '\')
                  AND NOT (
                    FALSE
                    OR STARTS_WITH(REPLACE(LOWER("t4"."image"), '/', '\'), 'c:\windows\system32\')
                    OR STARTS_WITH(REPLACE(LOWER("t4"."image"), '/', '\'), 'c:\windows\syswow64\')
                    OR STARTS_WITH(REPLACE(LOWER("t4"."image"), '/', '\'), 'c:\windows\')
                    OR STARTS_WITH(REPLACE(LOWER("t4"."image"), '/', '\'), 'c:\program files\')
                    OR STARTS_WITH(REPLACE(LOWER("t4"."image"), '/', '\'), 'c:\program files (x86)\')
                    OR STARTS_WITH(REPLACE(LOWER("t4"."image"), '/', '\'), '%systemroot%\')
                    OR STARTS_WITH(REPLACE(LOWER("t4"."image"), '/', '\'), '\systemroot\')
                  )
                ),
                FALSE
              )
            )
            AND "t4"."time_us" <= (
              "t28"."c_time" + (
                ABS("t28"."c_skew") + "t28"."c_tol"
              )
            )
        ) AS "t30"
        WHERE
          (
            (
              (
                "t30"."channel" = "t30"."c_channel"
              )
              AND (
                NOT "t30"."record_id" IS NULL
              )
              AND (
                NOT "t30"."c_record" IS NULL
              )
              AND (
                "t30"."record_id" < "t30"."c_record"
              )
            )
            OR (
              NOT (
                (
                  "t30"."channel" = "t30"."c_channel"
                )
                AND (
                  NOT "t30"."record_id" IS NULL
                )
                AND (
                  NOT "t30"."c_record" IS NULL
                )
              )
              AND (
                (
                  "t30"."time_us" - CASE WHEN CONTAINS(LOWER("t30"."channel"), 'sysmon') THEN "t30"."c_skew" ELSE 0 END
                ) <= (
                  "t30"."c_sec" + "t30"."c_tol"
                )
              )
            )
          )
          AND (
            (
              (
                "t30"."time_us" - CASE WHEN CONTAINS(LOWER("t30"."channel"), 'sysmon') THEN "t30"."c_skew" ELSE 0 END
              ) >= (
                "t30"."c_sec" - 120000000
              )
            )
            OR COALESCE(
              REPLACE(LOWER("t30"."image"), '/', '\') IN (
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
              OR SUFFIX(REPLACE(LOWER("t30"."image"), '/', '\'), '\powershell.exe')
              OR SUFFIX(REPLACE(LOWER("t30"."image"), '/', '\'), '\pwsh.exe')
              OR SUFFIX(REPLACE(LOWER("t30"."image"), '/', '\'), '\powershell_ise.exe')
              OR SUFFIX(REPLACE(LOWER("t30"."image"), '/', '\'), '\wsmprovhost.exe')
              OR SUFFIX(REPLACE(LOWER("t30"."image"), '/', '\'), '\cscript.exe')
              OR SUFFIX(REPLACE(LOWER("t30"."image"), '/', '\'), '\wscript.exe')
              OR SUFFIX(REPLACE(LOWER("t30"."image"), '/', '\'), '\mshta.exe')
              OR SUFFIX(REPLACE(LOWER("t30"."image"), '/', '\'), '\wmiprvse.exe')
              OR SUFFIX(REPLACE(LOWER("t30"."image"), '/', '\'), '\mmc.exe')
              OR SUFFIX(REPLACE(LOWER("t30"."image"), '/', '\'), '\rundll32.exe')
              OR SUFFIX(REPLACE(LOWER("t30"."image"), '/', '\'), '\python.exe')
              OR (
                CONTAINS(REPLACE(LOWER("t30"."image"), '/', '\'), '\')
                AND NOT (
                  FALSE
                  OR STARTS_WITH(REPLACE(LOWER("t30"."image"), '/', '\'), 'c:\windows\system32\')
                  OR STARTS_WITH(REPLACE(LOWER("t30"."image"), '/', '\'), 'c:\windows\syswow64\')
                  OR STARTS_WITH(REPLACE(LOWER("t30"."image"), '/', '\'), 'c:\windows\')
                  OR STARTS_WITH(REPLACE(LOWER("t30"."image"), '/', '\'), 'c:\program files\')
                  OR STARTS_WITH(REPLACE(LOWER("t30"."image"), '/', '\'), 'c:\program files (x86)\')
                  OR STARTS_WITH(REPLACE(LOWER("t30"."image"), '/', '\'), '%systemroot%\')
                  OR STARTS_WITH(REPLACE(LOWER("t30"."image"), '/', '\'), '\systemroot\')
                )
              ),
              FALSE
            )
          )
      ) AS "t36"
      ANTI JOIN (
        SELECT
          "t2"."host" AS "e_host",
          "t2"."pid" AS "e_pid",
          "t2"."process_guid" AS "e_guid",
          "t2"."time_us" AS "e_time",
          "t2"."channel" AS "e_channel",
          "t2"."record_id" AS "e_record"
        FROM "process_end" AS "t2"
      ) AS "t14"
        ON "t36"."host" = "t14"."e_host"
        AND "t36"."pid" = "t14"."e_pid"
        AND (
          (
            "t36"."process_guid" IS NULL
          )
          OR (
            "t14"."e_guid" IS NULL
          )
          OR (
            "t36"."process_guid" = "t14"."e_guid"
          )
        )
        AND "t14"."e_time" >= "t36"."time_us"
        AND (
          (
            (
              "t14"."e_channel" = "t36"."c_channel"
            )
            AND (
              NOT "t14"."e_record" IS NULL
            )
            AND (
              NOT "t36"."c_record" IS NULL
            )
            AND (
              "t14"."e_record" < "t36"."c_record"
            )
          )
          OR (
            NOT (
              (
                "t14"."e_channel" = "t36"."c_channel"
              )
              AND (
                NOT "t14"."e_record" IS NULL
              )
              AND (
                NOT "t36"."c_record" IS NULL
              )
            )
            AND (
              (
                "t14"."e_time" - CASE
                  WHEN CONTAINS(LOWER("t14"."e_channel"), 'sysmon')
                  THEN "t36"."c_skew"
                  ELSE 0
                END
              ) < (
                "t36"."c_sec" - "t36"."c_tol"
              )
            )
          )
        )
    ) AS "t37"
  ) AS "t38"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t33"."creation_key",
      "t33"."c_time",
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
        "t32"."creation_key",
        "t32"."c_host",
        "t32"."c_time",
        "t32"."c_logon",
        "t32"."c_channel",
        "t32"."c_record",
        "t32"."c_name",
        "t32"."c_skew",
        "t32"."c_tol",
        "t32"."c_sec",
        "t32"."event_key",
        "t32"."host",
        "t32"."host_name",
        "t32"."time_us",
        "t32"."record_id",
        "t32"."event_id",
        "t32"."channel",
        "t32"."file",
        "t32"."sha256",
        "t32"."pid",
        "t32"."parent_pid",
        "t32"."logon_id",
        "t32"."image",
        "t32"."command_line",
        "t32"."parent_image",
        "t32"."parent_command_line",
        "t32"."process_guid",
        "t32"."parent_process_guid",
        "t32"."user_sid",
        "t32"."user_name",
        "t32"."user_domain",
        "t32"."integrity",
        "t32"."telemetry",
        "t32"."surely_before",
        "t32"."in_window"
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
          (
            (
              "t29"."channel" = "t29"."c_channel"
            )
            AND (
              NOT "t29"."record_id" IS NULL
            )
            AND (
              NOT "t29"."c_record" IS NULL
            )
            AND (
              "t29"."record_id" < "t29"."c_record"
            )
          )
          OR (
            NOT (
              (
                "t29"."channel" = "t29"."c_channel"
              )
              AND (
                NOT "t29"."record_id" IS NULL
              )
              AND (
                NOT "t29"."c_record" IS NULL
              )
            )
            AND (
              (
                "t29"."time_us" - CASE WHEN CONTAINS(LOWER("t29"."channel"), 'sysmon') THEN "t29"."c_skew" ELSE 0 END
              ) < (
                "t29"."c_sec" - "t29"."c_tol"
              )
            )
          ) AS "surely_before",
          (
            "t29"."time_us" - CASE WHEN CONTAINS(LOWER("t29"."channel"), 'sysmon') THEN "t29"."c_skew" ELSE 0 END
          ) >= (
            "t29"."c_sec" - 120000000
          ) AS "in_window"
        FROM (
          SELECT
            "t28"."creation_key",
            "t28"."c_host",
            "t28"."c_time",
            "t28"."c_logon",
            "t28"."c_channel",
            "t28"."c_record",
            "t28"."c_name",
            "t28"."c_skew",
            "t28"."c_tol",
            "t28"."c_sec",
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
              "t26"."creation_key",
              "t26"."c_host",
              "t26"."c_time",
              "t26"."c_logon",
              "t26"."c_channel",
              "t26"."c_record",
              "t26"."c_name",
              COALESCE("t26"."k_skew", 0) AS "c_skew",
              COALESCE("t26"."k_tol", 5000000) AS "c_tol",
              "t26"."c_time" - CASE
                WHEN CONTAINS(LOWER("t26"."c_channel"), 'sysmon')
                THEN COALESCE("t26"."k_skew", 0)
                ELSE 0
              END AS "c_sec"
            FROM (
              SELECT
                "t15"."creation_key",
                "t15"."c_host",
                "t15"."c_time",
                "t15"."c_logon",
                "t15"."c_channel",
                "t15"."c_record",
                "t15"."c_name",
                "t25"."k_host",
                "t25"."k_skew",
                "t25"."k_tol"
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
              ) AS "t15"
              LEFT OUTER JOIN (
                SELECT
                  "t23"."host" AS "k_host",
                  CASE WHEN "t23"."pairs" >= 3 THEN "t23"."median_us" ELSE 0 END AS "k_skew",
                  CASE
                    WHEN "t23"."pairs" >= 3
                    THEN LEAST((
                      "t23"."high_us" - "t23"."low_us"
                    ) + 10000, 5000000)
                    ELSE 5000000
                  END AS "k_tol"
                FROM (
                  SELECT
                    "t22"."host",
                    COUNT(*) AS "pairs",
                    CAST(APPROX_QUANTILE("t22"."delta_us", 0.5) AS BIGINT) AS "median_us",
                    MIN("t22"."delta_us") AS "low_us",
                    MAX("t22"."delta_us") AS "high_us"
                  FROM (
                    SELECT
                      "t21"."host",
                      "t21"."delta_us"
                    FROM (
                      SELECT
                        "t20"."event_key",
                        "t20"."host",
                        "t20"."host_name",
                        "t20"."time_us",
                        "t20"."record_id",
                        "t20"."event_id",
                        "t20"."channel",
                        "t20"."file",
                        "t20"."sha256",
                        "t20"."pid",
                        "t20"."parent_pid",
                        "t20"."logon_id",
                        "t20"."image",
                        "t20"."command_line",
                        "t20"."parent_image",
                        "t20"."parent_command_line",
                        "t20"."process_guid",
                        "t20"."parent_process_guid",
                        "t20"."user_sid",
                        "t20"."user_name",
                        "t20"."user_domain",
                        "t20"."integrity",
                        "t20"."telemetry",
                        "t20"."p_host",
                        "t20"."p_pid",
                        "t20"."p_image",
                        "t20"."p_time",
                        "t20"."p_key",
                        "t20"."delta_us",
                        ROW_NUMBER() OVER (
                          PARTITION BY "t20"."event_key"
                          ORDER BY ABS("t20"."delta_us") ASC, "t20"."p_key" ASC
                          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                        ) - 1 AS "_rank"
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
                          "t19"."p_host",
                          "t19"."p_pid",
                          "t19"."p_image",
                          "t19"."p_time",
                          "t19"."p_key",
                          "t19"."time_us" - "t19"."p_time" AS "delta_us"
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
                            "t18"."p_host",
                            "t18"."p_pid",
                            "t18"."p_image",
                            "t18"."p_time",
                            "t18"."p_key"
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
                          ) AS "t17"
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
                          ) AS "t18"
                            ON "t17"."host" = "t18"."p_host"
                            AND "t17"."pid" = "t18"."p_pid"
                            AND LOWER("t17"."image") = "t18"."p_image"
                            AND ABS("t17"."time_us" - "t18"."p_time") <= 60000000
                        ) AS "t19"
                      ) AS "t20"
                    ) AS "t21"
                    WHERE
                      "t21"."_rank" = 0
                  ) AS "t22"
                  GROUP BY
                    1
                ) AS "t23"
              ) AS "t25"
                ON "t15"."c_host" = "t25"."k_host"
            ) AS "t26"
          ) AS "t28"
          INNER JOIN "process" AS "t4"
            ON "t28"."c_host" = "t4"."host"
            AND "t28"."c_logon" IS NULL
            AND "t4"."time_us" >= (
              (
                "t28"."c_time" - 120000000
              ) - (
                ABS("t28"."c_skew") + "t28"."c_tol"
              )
            )
            AND "t4"."time_us" <= (
              "t28"."c_time" + (
                ABS("t28"."c_skew") + "t28"."c_tol"
              )
            )
            AND CONTAINS(LOWER("t4"."command_line"), "t28"."c_name")
        ) AS "t29"
        WHERE
          (
            (
              (
                "t29"."channel" = "t29"."c_channel"
              )
              AND (
                NOT "t29"."record_id" IS NULL
              )
              AND (
                NOT "t29"."c_record" IS NULL
              )
              AND (
                "t29"."record_id" < "t29"."c_record"
              )
            )
            OR (
              NOT (
                (
                  "t29"."channel" = "t29"."c_channel"
                )
                AND (
                  NOT "t29"."record_id" IS NULL
                )
                AND (
                  NOT "t29"."c_record" IS NULL
                )
              )
              AND (
                (
                  "t29"."time_us" - CASE WHEN CONTAINS(LOWER("t29"."channel"), 'sysmon') THEN "t29"."c_skew" ELSE 0 END
                ) <= (
                  "t29"."c_sec" + "t29"."c_tol"
                )
              )
            )
          )
          AND (
            "t29"."time_us" - CASE WHEN CONTAINS(LOWER("t29"."channel"), 'sysmon') THEN "t29"."c_skew" ELSE 0 END
          ) >= (
            "t29"."c_sec" - 120000000
          )
      ) AS "t32"
      ANTI JOIN (
        SELECT
          "t2"."host" AS "e_host",
          "t2"."pid" AS "e_pid",
          "t2"."process_guid" AS "e_guid",
          "t2"."time_us" AS "e_time",
          "t2"."channel" AS "e_channel",
          "t2"."record_id" AS "e_record"
        FROM "process_end" AS "t2"
      ) AS "t14"
        ON "t32"."host" = "t14"."e_host"
        AND "t32"."pid" = "t14"."e_pid"
        AND (
          (
            "t32"."process_guid" IS NULL
          )
          OR (
            "t14"."e_guid" IS NULL
          )
          OR (
            "t32"."process_guid" = "t14"."e_guid"
          )
        )
        AND "t14"."e_time" >= "t32"."time_us"
        AND (
          (
            (
              "t14"."e_channel" = "t32"."c_channel"
            )
            AND (
              NOT "t14"."e_record" IS NULL
            )
            AND (
              NOT "t32"."c_record" IS NULL
            )
            AND (
              "t14"."e_record" < "t32"."c_record"
            )
          )
          OR (
            NOT (
              (
                "t14"."e_channel" = "t32"."c_channel"
              )
              AND (
                NOT "t14"."e_record" IS NULL
              )
              AND (
                NOT "t32"."c_record" IS NULL
              )
            )
            AND (
              (
                "t14"."e_time" - CASE
                  WHEN CONTAINS(LOWER("t14"."e_channel"), 'sysmon')
                  THEN "t32"."c_skew"
                  ELSE 0
                END
              ) < (
                "t32"."c_sec" - "t32"."c_tol"
              )
            )
          )
        )
    ) AS "t33"
  ) AS "t35"
)
SELECT
  "t59"."creation_key",
  "t59"."creation_time_us",
  "t59"."host",
  "t59"."host_name",
  "t59"."account_sid",
  "t59"."account_name",
  "t59"."account_domain",
  "t59"."creator_sid",
  "t59"."creator_name",
  "t59"."creator_domain",
  "t59"."creator_logon_id",
  "t59"."process_key",
  "t59"."process_time_us",
  "t59"."telemetry",
  "t59"."in_window",
  "t59"."pid",
  "t59"."parent_pid",
  "t59"."logon_id",
  "t59"."image",
  "t59"."command_line",
  "t59"."parent_key",
  "t59"."parent_image",
  CASE
    WHEN TRUE
    AND (
      FALSE
      OR (
        TRUE
        AND COALESCE(REGEXP_MATCHES(LOWER("t59"."creator_domain"), '^corp$'), FALSE)
        AND COALESCE(REGEXP_MATCHES(LOWER("t59"."creator_name"), '^svc\-provision$'), FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(REGEXP_MATCHES(LOWER("t59"."host_name"), '^dc.*$'), FALSE)
      )
      OR (
        TRUE AND COALESCE(REGEXP_MATCHES(LOWER("t59"."host_name"), '^dc.*\..*$'), FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE
        AND COALESCE(REGEXP_MATCHES(LOWER("t59"."image"), '^powershell\.exe$'), FALSE)
      )
      OR (
        TRUE
        AND COALESCE(REGEXP_MATCHES(LOWER("t59"."image"), '^.*\\powershell\.exe$'), FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE
        AND COALESCE(REGEXP_MATCHES(LOWER("t59"."account_name"), '^[a-z].*$'), FALSE)
      )
    )
    AND (
      "t59"."creation_time_us" >= 1704067200000000
    )
    THEN 'hr-onboarding-feed'
    ELSE CASE
      WHEN TRUE
      AND (
        FALSE
        OR (
          TRUE
          AND COALESCE(REGEXP_MATCHES(LOWER("t59"."creator_domain"), '^corp$'), FALSE)
          AND COALESCE(REGEXP_MATCHES(LOWER("t59"."creator_name"), '^helpdesk1$'), FALSE)
        )
        OR (
          TRUE
          AND COALESCE(REGEXP_MATCHES(LOWER("t59"."creator_domain"), '^corp$'), FALSE)
          AND COALESCE(REGEXP_MATCHES(LOWER("t59"."creator_name"), '^helpdesk2$'), FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(REGEXP_MATCHES(LOWER("t59"."host_name"), '^dc.*$'), FALSE)
        )
        OR (
          TRUE AND COALESCE(REGEXP_MATCHES(LOWER("t59"."host_name"), '^dc.*\..*$'), FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(REGEXP_MATCHES(LOWER("t59"."image"), '^mmc\.exe$'), FALSE)
        )
        OR (
          TRUE AND COALESCE(REGEXP_MATCHES(LOWER("t59"."image"), '^.*\\mmc\.exe$'), FALSE)
        )
      )
      THEN 'helpdesk-aduc'
      ELSE CAST(NULL AS TEXT)
    END
  END AS "approved_by"
FROM (
  SELECT
    "t41"."creation_key",
    "t41"."c_time" AS "creation_time_us",
    "t41"."host",
    "t41"."host_name",
    "t9"."account_sid",
    "t9"."account_name",
    "t9"."account_domain",
    "t9"."creator_sid",
    "t9"."creator_name",
    "t9"."creator_domain",
    "t9"."creator_logon_id",
    "t41"."event_key" AS "process_key",
    "t41"."time_us" AS "process_time_us",
    "t41"."telemetry",
    "t41"."in_window",
    "t41"."pid",
    "t41"."parent_pid",
    "t41"."logon_id",
    "t41"."image",
    "t41"."command_line",
    "t58"."parent_key",
    COALESCE("t58"."p_image", "t41"."parent_image") AS "parent_image"
  FROM "t39" AS "t41"
  LEFT OUTER JOIN (
    SELECT
      "t56"."lineage_of" AS "p_of",
      "t56"."event_key" AS "parent_key",
      "t56"."image" AS "p_image"
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
        "t55"."b_of",
        "t55"."b_child",
        "t55"."b_key",
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
          "t40"."event_key" AS "lineage_of",
          "t40"."event_key" AS "child_key",
          "t40"."host" AS "child_host",
          "t40"."time_us" AS "child_time",
          "t40"."parent_pid" AS "child_parent_pid",
          "t40"."parent_process_guid" AS "child_parent_guid",
          "t40"."parent_image" AS "child_parent_image",
          0 AS "depth"
        FROM "t39" AS "t40"
      ) AS "t43"
      INNER JOIN (
        SELECT
          "t53"."lineage_of" AS "b_of",
          "t53"."child_key" AS "b_child",
          "t53"."k_key" AS "b_key"
        FROM (
          SELECT
            "t52"."lineage_of",
            "t52"."child_key",
            "t52"."k_key",
            "t52"."k_time",
            "t52"."_by",
            ROW_NUMBER() OVER (
              PARTITION BY "t52"."lineage_of", "t52"."child_key"
              ORDER BY "t52"."_by" ASC, "t52"."k_time" DESC, "t52"."k_key" ASC
              ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
            ) - 1 AS "_rank"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t43"."lineage_of",
                "t43"."child_key",
                "t16"."k_key",
                "t16"."k_time",
                0 AS "_by"
              FROM (
                SELECT DISTINCT
                  "t40"."event_key" AS "lineage_of",
                  "t40"."event_key" AS "child_key",
                  "t40"."host" AS "child_host",
                  "t40"."time_us" AS "child_time",
                  "t40"."parent_pid" AS "child_parent_pid",
                  "t40"."parent_process_guid" AS "child_parent_guid",
                  "t40"."parent_image" AS "child_parent_image",
                  0 AS "depth"
                FROM "t39" AS "t40"
              ) AS "t43"
              INNER JOIN (
                SELECT
                  "t1"."event_key" AS "k_key",
                  "t1"."host" AS "k_host",
                  "t1"."pid" AS "k_pid",
                  "t1"."process_guid" AS "k_guid",
                  "t1"."time_us" AS "k_time",
                  LOWER("t1"."image") AS "k_image"
                FROM "process" AS "t1"
              ) AS "t16"
                ON "t43"."child_host" = "t16"."k_host"
                AND "t43"."child_parent_guid" = "t16"."k_guid"
            ) AS "t45"
            UNION ALL
            SELECT
              *
            FROM (
              SELECT
                "t50"."lineage_of",
                "t50"."child_key",
                "t16"."k_key",
                "t16"."k_time",
                1 AS "_by"
              FROM (
                SELECT
                  "t48"."lineage_of",
                  "t48"."child_key",
                  "t48"."child_host",
                  "t48"."child_time",
                  "t48"."child_parent_pid",
                  "t48"."child_parent_guid",
                  "t48"."child_parent_image",
                  "t48"."depth",
                  "t48"."last_end"
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
                    "t47"."l_of",
                    "t47"."l_child",
                    "t47"."last_end"
                  FROM (
                    SELECT DISTINCT
                      "t40"."event_key" AS "lineage_of",
                      "t40"."event_key" AS "child_key",
                      "t40"."host" AS "child_host",
                      "t40"."time_us" AS "child_time",
                      "t40"."parent_pid" AS "child_parent_pid",
                      "t40"."parent_process_guid" AS "child_parent_guid",
                      "t40"."parent_image" AS "child_parent_image",
                      0 AS "depth"
                    FROM "t39" AS "t40"
                  ) AS "t43"
                  LEFT OUTER JOIN (
                    SELECT
                      "t44"."lineage_of" AS "l_of",
                      "t44"."child_key" AS "l_child",
                      MAX("t44"."e_time") AS "last_end"
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
                        "t13"."e_host",
                        "t13"."e_pid",
                        "t13"."e_time"
                      FROM (
                        SELECT DISTINCT
                          "t40"."event_key" AS "lineage_of",
                          "t40"."event_key" AS "child_key",
                          "t40"."host" AS "child_host",
                          "t40"."time_us" AS "child_time",
                          "t40"."parent_pid" AS "child_parent_pid",
                          "t40"."parent_process_guid" AS "child_parent_guid",
                          "t40"."parent_image" AS "child_parent_image",
                          0 AS "depth"
                        FROM "t39" AS "t40"
                      ) AS "t43"
                      INNER JOIN (
                        SELECT
                          "t2"."host" AS "e_host",
                          "t2"."pid" AS "e_pid",
                          "t2"."time_us" AS "e_time"
                        FROM "process_end" AS "t2"
                      ) AS "t13"
                        ON "t43"."child_host" = "t13"."e_host"
                        AND "t43"."child_parent_pid" = "t13"."e_pid"
                        AND "t13"."e_time" < "t43"."child_time"
                    ) AS "t44"
                    GROUP BY
                      1,
                      2
                  ) AS "t47"
                    ON "t43"."lineage_of" = "t47"."l_of" AND "t43"."child_key" = "t47"."l_child"
                ) AS "t48"
              ) AS "t50"
              INNER JOIN (
                SELECT
                  "t1"."event_key" AS "k_key",
                  "t1"."host" AS "k_host",
                  "t1"."pid" AS "k_pid",
                  "t1"."process_guid" AS "k_guid",
                  "t1"."time_us" AS "k_time",
                  LOWER("t1"."image") AS "k_image"
                FROM "process" AS "t1"
              ) AS "t16"
                ON "t50"."child_host" = "t16"."k_host"
                AND "t50"."child_parent_pid" = "t16"."k_pid"
                AND "t16"."k_time" <= "t50"."child_time"
                AND (
                  (
                    "t50"."last_end" IS NULL
                  ) OR (
                    "t16"."k_time" > "t50"."last_end"
                  )
                )
                AND "t16"."k_key" <> "t50"."child_key"
                AND (
                  (
                    "t50"."child_parent_image" IS NULL
                  )
                  OR (
                    LOWER("t50"."child_parent_image") = "t16"."k_image"
                  )
                )
            ) AS "t51"
          ) AS "t52"
        ) AS "t53"
        WHERE
          "t53"."_rank" = 0
      ) AS "t55"
        ON "t43"."lineage_of" = "t55"."b_of" AND "t43"."child_key" = "t55"."b_child"
      INNER JOIN "process" AS "t3"
        ON "t55"."b_key" = "t3"."event_key"
    ) AS "t56"
  ) AS "t58"
    ON "t41"."event_key" = "t58"."p_of"
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
  ) AS "t9"
    ON "t41"."creation_key" = "t9"."creation_key"
) AS "t59";
