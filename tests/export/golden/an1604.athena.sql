-- acctrace VERSION export of MITRE ATT&CK AN1604 (T1136 Create Account).
-- Detects: every account creation (4720, or a SAM key write without one) paired with each
--     process in the creator's logon session on that host that started in the window
--     (security-4688 or sysmon-1), or, when the session is unknown, each process whose command
--     line names the account. Views acctrace_an1604_creation and acctrace_an1604_pair over the
--     tables creation, process, process_end, sam_write (acctrace's event model,
--     docs/export.md); dialect athena.
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
WITH "t16" AS (
  SELECT
    *
  FROM (
    SELECT
      "t12"."creation_key",
      "t12"."c_time",
      "t12"."event_key",
      "t12"."host",
      "t12"."host_name",
      "t12"."time_us",
      "t12"."record_id",
      "t12"."event_id",
      "t12"."channel",
      "t12"."file",
      "t12"."sha256",
      "t12"."pid",
      "t12"."parent_pid",
      "t12"."logon_id",
      "t12"."image",
      "t12"."command_line",
      "t12"."parent_image",
      "t12"."parent_command_line",
      "t12"."process_guid",
      "t12"."parent_process_guid",
      "t12"."user_sid",
      "t12"."user_name",
      "t12"."user_domain",
      "t12"."integrity",
      "t12"."telemetry"
    FROM (
      SELECT
        "t9"."creation_key",
        "t9"."c_host",
        "t9"."c_time",
        "t9"."c_logon",
        "t9"."c_account_sid",
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
          "t0"."event_key" AS "creation_key",
          "t0"."host" AS "c_host",
          "t0"."time_us" AS "c_time",
          "t0"."creator_logon_id" AS "c_logon",
          "t0"."account_sid" AS "c_account_sid"
        FROM "acctrace_an1604_creation" AS "t0"
      ) AS "t9"
      INNER JOIN "process" AS "t3"
        ON "t9"."c_host" = "t3"."host"
        AND "t9"."c_logon" = "t3"."logon_id"
        AND "t3"."time_us" >= (
          "t9"."c_time" - 120000000
        )
        AND "t3"."time_us" <= (
          "t9"."c_time" + 5000000
        )
      WHERE
        NOT EXISTS(
          SELECT
            1
          FROM (
            SELECT
              "t2"."host" AS "e_host",
              "t2"."pid" AS "e_pid",
              "t2"."time_us" AS "e_time"
            FROM "process_end" AS "t2"
          ) AS "t10"
          WHERE
            "t3"."host" = "t10"."e_host"
            AND "t3"."pid" = "t10"."e_pid"
            AND "t10"."e_time" >= "t3"."time_us"
            AND "t10"."e_time" < (
              "t9"."c_time" - 5000000
            )
        )
    ) AS "t12"
  ) AS "t14"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t13"."creation_key",
      "t13"."c_time",
      "t13"."event_key",
      "t13"."host",
      "t13"."host_name",
      "t13"."time_us",
      "t13"."record_id",
      "t13"."event_id",
      "t13"."channel",
      "t13"."file",
      "t13"."sha256",
      "t13"."pid",
      "t13"."parent_pid",
      "t13"."logon_id",
      "t13"."image",
      "t13"."command_line",
      "t13"."parent_image",
      "t13"."parent_command_line",
      "t13"."process_guid",
      "t13"."parent_process_guid",
      "t13"."user_sid",
      "t13"."user_name",
      "t13"."user_domain",
      "t13"."integrity",
      "t13"."telemetry"
    FROM (
      SELECT
        "t11"."creation_key",
        "t11"."c_host",
        "t11"."c_time",
        "t11"."c_logon",
        "t11"."c_name",
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
          "t0"."event_key" AS "creation_key",
          "t0"."host" AS "c_host",
          "t0"."time_us" AS "c_time",
          "t0"."creator_logon_id" AS "c_logon",
          LOWER("t0"."account_name") AS "c_name"
        FROM "acctrace_an1604_creation" AS "t0"
      ) AS "t11"
      INNER JOIN "process" AS "t3"
        ON "t11"."c_host" = "t3"."host"
        AND "t11"."c_logon" IS NULL
        AND "t3"."time_us" >= (
          "t11"."c_time" - 120000000
        )
        AND "t3"."time_us" <= (
          "t11"."c_time" + 5000000
        )
        AND STRPOS(LOWER("t3"."command_line"), "t11"."c_name") > 0
    ) AS "t13"
  ) AS "t15"
)
SELECT
  "t29"."creation_key",
  "t29"."creation_time_us",
  "t29"."host",
  "t29"."host_name",
  "t29"."account_sid",
  "t29"."account_name",
  "t29"."account_domain",
  "t29"."creator_sid",
  "t29"."creator_name",
  "t29"."creator_domain",
  "t29"."creator_logon_id",
  "t29"."process_key",
  "t29"."process_time_us",
  "t29"."telemetry",
  "t29"."pid",
  "t29"."parent_pid",
  "t29"."logon_id",
  "t29"."image",
  "t29"."command_line",
  "t29"."parent_key",
  "t29"."parent_image",
  IF(
    TRUE
    AND (
      FALSE
      OR (
        TRUE
        AND COALESCE(REGEXP_LIKE(LOWER("t29"."creator_domain"), '^corp$'), FALSE)
        AND COALESCE(REGEXP_LIKE(LOWER("t29"."creator_name"), '^svc\-provision$'), FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(REGEXP_LIKE(LOWER("t29"."host_name"), '^dc.*$'), FALSE)
      )
      OR (
        TRUE AND COALESCE(REGEXP_LIKE(LOWER("t29"."host_name"), '^dc.*\..*$'), FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(REGEXP_LIKE(LOWER("t29"."image"), '^powershell\.exe$'), FALSE)
      )
      OR (
        TRUE
        AND COALESCE(REGEXP_LIKE(LOWER("t29"."image"), '^.*\\powershell\.exe$'), FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(REGEXP_LIKE(LOWER("t29"."account_name"), '^[a-z].*$'), FALSE)
      )
    )
    AND (
      "t29"."creation_time_us" >= 1704067200000000
    ),
    'hr-onboarding-feed',
    IF(
      TRUE
      AND (
        FALSE
        OR (
          TRUE
          AND COALESCE(REGEXP_LIKE(LOWER("t29"."creator_domain"), '^corp$'), FALSE)
          AND COALESCE(REGEXP_LIKE(LOWER("t29"."creator_name"), '^helpdesk1$'), FALSE)
        )
        OR (
          TRUE
          AND COALESCE(REGEXP_LIKE(LOWER("t29"."creator_domain"), '^corp$'), FALSE)
          AND COALESCE(REGEXP_LIKE(LOWER("t29"."creator_name"), '^helpdesk2$'), FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(REGEXP_LIKE(LOWER("t29"."host_name"), '^dc.*$'), FALSE)
        )
        OR (
          TRUE AND COALESCE(REGEXP_LIKE(LOWER("t29"."host_name"), '^dc.*\..*$'), FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(REGEXP_LIKE(LOWER("t29"."image"), '^mmc\.exe$'), FALSE)
        )
        OR (
          TRUE AND COALESCE(REGEXP_LIKE(LOWER("t29"."image"), '^.*\\mmc\.exe$'), FALSE)
        )
      ),
      'helpdesk-aduc',
      CAST(NULL AS VARCHAR)
    )
  ) AS "approved_by"
FROM (
  SELECT
    "t18"."creation_key",
    "t18"."c_time" AS "creation_time_us",
    "t18"."host",
    "t18"."host_name",
    "t8"."account_sid",
    "t8"."account_name",
    "t8"."account_domain",
    "t8"."creator_sid",
    "t8"."creator_name",
    "t8"."creator_domain",
    "t8"."creator_logon_id",
    "t18"."event_key" AS "process_key",
    "t18"."time_us" AS "process_time_us",
    "t18"."telemetry",
    "t18"."pid",
    "t18"."parent_pid",
    "t18"."logon_id",
    "t18"."image",
    "t18"."command_line",
    "t28"."parent_key",
    COALESCE("t28"."p_image", "t18"."parent_image") AS "parent_image"
  FROM "t16" AS "t18"
  LEFT OUTER JOIN (
    SELECT
      "t26"."lineage_of" AS "p_of",
      "t26"."event_key" AS "parent_key",
      "t26"."image" AS "p_image"
    FROM (
      SELECT
        "t25"."lineage_of",
        "t25"."child_key",
        "t25"."child_host",
        "t25"."child_time",
        "t25"."child_parent_pid",
        "t25"."child_parent_guid",
        "t25"."child_parent_image",
        "t25"."depth",
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
        "t25"."_by",
        ROW_NUMBER() OVER (
          PARTITION BY "t25"."lineage_of", "t25"."child_key"
          ORDER BY "t25"."_by" ASC, "t25"."time_us" DESC, "t25"."event_key" ASC
        ) - 1 AS "_rank"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t21"."lineage_of",
            "t21"."child_key",
            "t21"."child_host",
            "t21"."child_time",
            "t21"."child_parent_pid",
            "t21"."child_parent_guid",
            "t21"."child_parent_image",
            "t21"."depth",
            "t21"."event_key",
            "t21"."host",
            "t21"."host_name",
            "t21"."time_us",
            "t21"."record_id",
            "t21"."event_id",
            "t21"."channel",
            "t21"."file",
            "t21"."sha256",
            "t21"."pid",
            "t21"."parent_pid",
            "t21"."logon_id",
            "t21"."image",
            "t21"."command_line",
            "t21"."parent_image",
            "t21"."parent_command_line",
            "t21"."process_guid",
            "t21"."parent_process_guid",
            "t21"."user_sid",
            "t21"."user_name",
            "t21"."user_domain",
            "t21"."integrity",
            "t21"."telemetry",
            0 AS "_by"
          FROM (
            SELECT
              "t20"."lineage_of",
              "t20"."child_key",
              "t20"."child_host",
              "t20"."child_time",
              "t20"."child_parent_pid",
              "t20"."child_parent_guid",
              "t20"."child_parent_image",
              "t20"."depth",
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
                "t17"."event_key" AS "lineage_of",
                "t17"."event_key" AS "child_key",
                "t17"."host" AS "child_host",
                "t17"."time_us" AS "child_time",
                "t17"."parent_pid" AS "child_parent_pid",
                "t17"."parent_process_guid" AS "child_parent_guid",
                "t17"."parent_image" AS "child_parent_image",
                0 AS "depth"
              FROM "t16" AS "t17"
            ) AS "t20"
            INNER JOIN "process" AS "t3"
              ON "t20"."child_host" = "t3"."host"
              AND "t20"."child_parent_guid" = "t3"."process_guid"
          ) AS "t21"
        ) AS "t22"
        UNION ALL
        SELECT
          *
        FROM (
          SELECT
            "t23"."lineage_of",
            "t23"."child_key",
            "t23"."child_host",
            "t23"."child_time",
            "t23"."child_parent_pid",
            "t23"."child_parent_guid",
            "t23"."child_parent_image",
            "t23"."depth",
            "t23"."event_key",
            "t23"."host",
            "t23"."host_name",
            "t23"."time_us",
            "t23"."record_id",
            "t23"."event_id",
            "t23"."channel",
            "t23"."file",
            "t23"."sha256",
            "t23"."pid",
            "t23"."parent_pid",
            "t23"."logon_id",
            "t23"."image",
            "t23"."command_line",
            "t23"."parent_image",
            "t23"."parent_command_line",
            "t23"."process_guid",
            "t23"."parent_process_guid",
            "t23"."user_sid",
            "t23"."user_name",
            "t23"."user_domain",
            "t23"."integrity",
            "t23"."telemetry",
            1 AS "_by"
          FROM (
            SELECT
              "t20"."lineage_of",
              "t20"."child_key",
              "t20"."child_host",
              "t20"."child_time",
              "t20"."child_parent_pid",
              "t20"."child_parent_guid",
              "t20"."child_parent_image",
              "t20"."depth",
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
                "t17"."event_key" AS "lineage_of",
                "t17"."event_key" AS "child_key",
                "t17"."host" AS "child_host",
                "t17"."time_us" AS "child_time",
                "t17"."parent_pid" AS "child_parent_pid",
                "t17"."parent_process_guid" AS "child_parent_guid",
                "t17"."parent_image" AS "child_parent_image",
                0 AS "depth"
              FROM "t16" AS "t17"
            ) AS "t20"
            INNER JOIN "process" AS "t3"
              ON "t20"."child_host" = "t3"."host"
              AND "t20"."child_parent_pid" = "t3"."pid"
              AND "t3"."time_us" <= "t20"."child_time"
              AND "t3"."event_key" <> "t20"."child_key"
              AND (
                (
                  "t20"."child_parent_image" IS NULL
                )
                OR (
                  LOWER("t20"."child_parent_image") = LOWER("t3"."image")
                )
              )
            WHERE
              NOT EXISTS(
                SELECT
                  1
                FROM (
                  SELECT
                    "t2"."host" AS "e_host",
                    "t2"."pid" AS "e_pid",
                    "t2"."time_us" AS "e_time"
                  FROM "process_end" AS "t2"
                ) AS "t10"
                WHERE
                  "t3"."host" = "t10"."e_host"
                  AND "t3"."pid" = "t10"."e_pid"
                  AND "t10"."e_time" >= "t3"."time_us"
                  AND "t10"."e_time" < "t20"."child_time"
              )
          ) AS "t23"
        ) AS "t24"
      ) AS "t25"
    ) AS "t26"
    WHERE
      "t26"."_rank" = 0
  ) AS "t28"
    ON "t18"."event_key" = "t28"."p_of"
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
    ON "t18"."creation_key" = "t8"."creation_key"
) AS "t29";
