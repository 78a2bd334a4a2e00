-- acctrace VERSION export of MITRE ATT&CK AN1604 (T1136 Create Account).
-- Detects: every account creation (4720, or a SAM key write without one) paired with each
--     process in the creator's logon session on that host that started in the window
--     (security-4688 or sysmon-1) or, if a script host or a binary from outside the Windows
--     folders (`in_window` false), earlier and not ended before it, or, when the session is
--     unknown, each process whose command line names the account. Views
--     acctrace_an1604_creation and acctrace_an1604_pair over the tables creation, process,
--     process_end, sam_write (acctrace's event model, docs/export.md); dialect spark.
-- Window: the process started at most 120 s before the 4720.
-- Policy: sha256 1eb76bf2f2c8d9a3bdc0a4c372cdf8c2da882adf34c8056214ec34a768c89b74
-- Cannot express (acctrace does these; see docs/export.md):
--   - ancestry beyond the parent (acctrace walks the whole lineage, one level per query)
--   - which candidate created the account: every candidate is a row; acctrace ranks them
--   - the cross-host origin of a network logon session
--   - verdicts, reasons and follow-ups (group changes, enable/reset/delete, first use)
CREATE OR REPLACE VIEW acctrace_an1604_creation AS
SELECT
  `t0`.`event_key`,
  `t0`.`host`,
  `t0`.`host_name`,
  `t0`.`time_us`,
  `t0`.`record_id`,
  `t0`.`event_id`,
  `t0`.`channel`,
  `t0`.`file`,
  `t0`.`sha256`,
  `t0`.`account_sid`,
  `t0`.`account_name`,
  `t0`.`account_domain`,
  `t0`.`sam_account_name`,
  `t0`.`display_name`,
  `t0`.`user_principal_name`,
  `t0`.`creator_sid`,
  `t0`.`creator_name`,
  `t0`.`creator_domain`,
  `t0`.`creator_logon_id`,
  `t0`.`new_uac`,
  `t0`.`primary_group_id`
FROM `creation` AS `t0`
UNION ALL
SELECT
  *
FROM (
  SELECT
    `t7`.`event_key`,
    `t7`.`host`,
    `t7`.`host_name`,
    `t7`.`time_us`,
    `t7`.`record_id`,
    `t7`.`event_id`,
    `t7`.`channel`,
    `t7`.`file`,
    `t7`.`sha256`,
    CAST(NULL AS STRING) AS `account_sid`,
    `t7`.`account_name`,
    CAST(NULL AS STRING) AS `account_domain`,
    `t7`.`account_name` AS `sam_account_name`,
    CAST(NULL AS STRING) AS `display_name`,
    CAST(NULL AS STRING) AS `user_principal_name`,
    CAST(NULL AS STRING) AS `creator_sid`,
    CAST(NULL AS STRING) AS `creator_name`,
    CAST(NULL AS STRING) AS `creator_domain`,
    CAST(NULL AS STRING) AS `creator_logon_id`,
    CAST(NULL AS STRING) AS `new_uac`,
    CAST(NULL AS STRING) AS `primary_group_id`
  FROM (
    SELECT
      *
    FROM (
      SELECT
        `t3`.`event_key`,
        `t3`.`host`,
        `t3`.`host_name`,
        `t3`.`time_us`,
        `t3`.`record_id`,
        `t3`.`event_id`,
        `t3`.`channel`,
        `t3`.`file`,
        `t3`.`sha256`,
        `t3`.`account_name`,
        `t3`.`alias_rid`,
        `t3`.`hidden_from_logon`,
        `t3`.`action`,
        `t3`.`pid`,
        `t3`.`process_guid`,
        `t3`.`image`,
        `t3`.`name_key`,
        ROW_NUMBER() OVER (
          PARTITION BY `t3`.`host`, `t3`.`name_key`
          ORDER BY `t3`.`time_us` ASC NULLS LAST, `t3`.`event_key` ASC NULLS LAST
        ) - 1 AS `_rank`
      FROM (
        SELECT
          `t1`.`event_key`,
          `t1`.`host`,
          `t1`.`host_name`,
          `t1`.`time_us`,
          `t1`.`record_id`,
          `t1`.`event_id`,
          `t1`.`channel`,
          `t1`.`file`,
          `t1`.`sha256`,
          `t1`.`account_name`,
          `t1`.`alias_rid`,
          `t1`.`hidden_from_logon`,
          `t1`.`action`,
          `t1`.`pid`,
          `t1`.`process_guid`,
          `t1`.`image`,
          LOWER(`t1`.`account_name`) AS `name_key`
        FROM `sam_write` AS `t1`
        WHERE
          NOT `t1`.`account_name` IS NULL
          AND `t1`.`hidden_from_logon` IS NULL
          AND `t1`.`action` IN ('CreateKey', 'SetValue')
      ) AS `t3`
    ) AS `t5`
    WHERE
      `t5`.`_rank` = 0
  ) AS `t7`
  LEFT ANTI JOIN (
    SELECT
      `t0`.`host` AS `k_host`,
      LOWER(`t0`.`account_name`) AS `k_name`
    FROM `creation` AS `t0`
  ) AS `t4`
    ON `t7`.`host` = `t4`.`k_host` AND `t7`.`name_key` = `t4`.`k_name`
) AS `t8`;
CREATE OR REPLACE VIEW acctrace_an1604_pair AS
WITH `t11` AS (
  SELECT
    `t1`.`event_key` AS `k_key`,
    `t1`.`host` AS `k_host`,
    `t1`.`pid` AS `k_pid`,
    `t1`.`process_guid` AS `k_guid`,
    `t1`.`time_us` AS `k_time`,
    LOWER(`t1`.`image`) AS `k_image`
  FROM `process` AS `t1`
), `t63` AS (
  SELECT
    *
  FROM (
    SELECT
      `t61`.`creation_key`,
      `t61`.`c_time`,
      `t61`.`event_key`,
      `t61`.`host`,
      `t61`.`host_name`,
      `t61`.`time_us`,
      `t61`.`record_id`,
      `t61`.`event_id`,
      `t61`.`channel`,
      `t61`.`file`,
      `t61`.`sha256`,
      `t61`.`pid`,
      `t61`.`parent_pid`,
      `t61`.`logon_id`,
      `t61`.`image`,
      `t61`.`command_line`,
      `t61`.`parent_image`,
      `t61`.`parent_command_line`,
      `t61`.`process_guid`,
      `t61`.`parent_process_guid`,
      `t61`.`user_sid`,
      `t61`.`user_name`,
      `t61`.`user_domain`,
      `t61`.`integrity`,
      `t61`.`telemetry`,
      `t61`.`surely_before`,
      `t61`.`in_window`
    FROM (
      SELECT
        `t55`.`creation_key`,
        `t55`.`c_host`,
        `t55`.`c_time`,
        `t55`.`c_logon`,
        `t55`.`c_channel`,
        `t55`.`c_record`,
        `t55`.`c_name`,
        `t55`.`c_skew`,
        `t55`.`c_tol`,
        `t55`.`c_sec`,
        `t55`.`event_key`,
        `t55`.`host`,
        `t55`.`host_name`,
        `t55`.`time_us`,
        `t55`.`record_id`,
        `t55`.`event_id`,
        `t55`.`channel`,
        `t55`.`file`,
        `t55`.`sha256`,
        `t55`.`pid`,
        `t55`.`parent_pid`,
        `t55`.`logon_id`,
        `t55`.`image`,
        `t55`.`command_line`,
        `t55`.`parent_image`,
        `t55`.`parent_command_line`,
        `t55`.`process_guid`,
        `t55`.`parent_process_guid`,
        `t55`.`user_sid`,
        `t55`.`user_name`,
        `t55`.`user_domain`,
        `t55`.`integrity`,
        `t55`.`telemetry`,
        `t55`.`surely_before`,
        `t55`.`in_window`
      FROM (
        SELECT
          `t48`.`creation_key`,
          `t48`.`c_host`,
          `t48`.`c_time`,
          `t48`.`c_logon`,
          `t48`.`c_channel`,
          `t48`.`c_record`,
          `t48`.`c_name`,
          `t48`.`c_skew`,
          `t48`.`c_tol`,
          `t48`.`c_sec`,
          `t48`.`event_key`,
          `t48`.`host`,
          `t48`.`host_name`,
          `t48`.`time_us`,
          `t48`.`record_id`,
          `t48`.`event_id`,
          `t48`.`channel`,
          `t48`.`file`,
          `t48`.`sha256`,
          `t48`.`pid`,
          `t48`.`parent_pid`,
          `t48`.`logon_id`,
          `t48`.`image`,
          `t48`.`command_line`,
          `t48`.`parent_image`,
          `t48`.`parent_command_line`,
          `t48`.`process_guid`,
          `t48`.`parent_process_guid`,
          `t48`.`user_sid`,
          `t48`.`user_name`,
          `t48`.`user_domain`,
          `t48`.`integrity`,
          `t48`.`telemetry`,
          (
            (
              `t48`.`channel` = `t48`.`c_channel`
            )
            AND (
              NOT `t48`.`record_id` IS NULL
            )
            AND (
              NOT `t48`.`c_record` IS NULL
            )
            AND (
              `t48`.`record_id` < `t48`.`c_record`
            )
          )
          OR (
            NOT (
              (
                `t48`.`channel` = `t48`.`c_channel`
              )
              AND (
                NOT `t48`.`record_id` IS NULL
              )
              AND (
                NOT `t48`.`c_record` IS NULL
              )
            )
            AND (
              (
                `t48`.`time_us` - IF(CONTAINS(LOWER(`t48`.`channel`), 'sysmon'), `t48`.`c_skew`, 0)
              ) < (
                `t48`.`c_sec` - `t48`.`c_tol`
              )
            )
          ) AS `surely_before`,
          (
            `t48`.`time_us` - IF(CONTAINS(LOWER(`t48`.`channel`), 'sysmon'), `t48`.`c_skew`, 0)
          ) >= (
            `t48`.`c_sec` - 120000000
          ) AS `in_window`
        FROM (
          SELECT
            *
          FROM (
            SELECT
              `t43`.`creation_key`,
              `t43`.`c_host`,
              `t43`.`c_time`,
              `t43`.`c_logon`,
              `t43`.`c_channel`,
              `t43`.`c_record`,
              `t43`.`c_name`,
              `t43`.`c_skew`,
              `t43`.`c_tol`,
              `t43`.`c_sec`,
              `t4`.`event_key`,
              `t4`.`host`,
              `t4`.`host_name`,
              `t4`.`time_us`,
              `t4`.`record_id`,
              `t4`.`event_id`,
              `t4`.`channel`,
              `t4`.`file`,
              `t4`.`sha256`,
              `t4`.`pid`,
              `t4`.`parent_pid`,
              `t4`.`logon_id`,
              `t4`.`image`,
              `t4`.`command_line`,
              `t4`.`parent_image`,
              `t4`.`parent_command_line`,
              `t4`.`process_guid`,
              `t4`.`parent_process_guid`,
              `t4`.`user_sid`,
              `t4`.`user_name`,
              `t4`.`user_domain`,
              `t4`.`integrity`,
              `t4`.`telemetry`
            FROM (
              SELECT
                `t41`.`creation_key`,
                `t41`.`c_host`,
                `t41`.`c_time`,
                `t41`.`c_logon`,
                `t41`.`c_channel`,
                `t41`.`c_record`,
                `t41`.`c_name`,
                COALESCE(`t41`.`k_skew`, 0) AS `c_skew`,
                COALESCE(`t41`.`k_tol`, 5000000) AS `c_tol`,
                `t41`.`c_time` - IF(CONTAINS(LOWER(`t41`.`c_channel`), 'sysmon'), COALESCE(`t41`.`k_skew`, 0), 0) AS `c_sec`
              FROM (
                SELECT
                  `t17`.`creation_key`,
                  `t17`.`c_host`,
                  `t17`.`c_time`,
                  `t17`.`c_logon`,
                  `t17`.`c_channel`,
                  `t17`.`c_record`,
                  `t17`.`c_name`,
                  `t39`.`k_host`,
                  `t39`.`k_skew`,
                  `t39`.`k_tol`
                FROM (
                  SELECT
                    `t0`.`event_key` AS `creation_key`,
                    `t0`.`host` AS `c_host`,
                    `t0`.`time_us` AS `c_time`,
                    `t0`.`creator_logon_id` AS `c_logon`,
                    `t0`.`channel` AS `c_channel`,
                    `t0`.`record_id` AS `c_record`,
                    LOWER(`t0`.`account_name`) AS `c_name`
                  FROM `acctrace_an1604_creation` AS `t0`
                ) AS `t17`
                LEFT OUTER JOIN (
                  SELECT
                    `t34`.`host` AS `k_host`,
                    IF(`t34`.`pairs` >= 3, `t34`.`median_us`, 0) AS `k_skew`,
                    IF(
                      `t34`.`pairs` >= 3,
                      LEAST((
                        `t34`.`high_us` - `t34`.`low_us`
                      ) + 10000, 5000000),
                      5000000
                    ) AS `k_tol`
                  FROM (
                    SELECT
                      `t32`.`host`,
                      COUNT(*) AS `pairs`,
                      CAST(PERCENTILE_APPROX(`t32`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                      MIN(`t32`.`delta_us`) AS `low_us`,
                      MAX(`t32`.`delta_us`) AS `high_us`
                    FROM (
                      SELECT
                        `t31`.`host`,
                        `t31`.`delta_us`
                      FROM (
                        SELECT
                          `t28`.`event_key`,
                          `t28`.`host`,
                          `t28`.`host_name`,
                          `t28`.`time_us`,
                          `t28`.`record_id`,
                          `t28`.`event_id`,
                          `t28`.`channel`,
                          `t28`.`file`,
                          `t28`.`sha256`,
                          `t28`.`pid`,
                          `t28`.`parent_pid`,
                          `t28`.`logon_id`,
                          `t28`.`image`,
                          `t28`.`command_line`,
                          `t28`.`parent_image`,
                          `t28`.`parent_command_line`,
                          `t28`.`process_guid`,
                          `t28`.`parent_process_guid`,
                          `t28`.`user_sid`,
                          `t28`.`user_name`,
                          `t28`.`user_domain`,
                          `t28`.`integrity`,
                          `t28`.`telemetry`,
                          `t28`.`p_host`,
                          `t28`.`p_pid`,
                          `t28`.`p_image`,
                          `t28`.`p_time`,
                          `t28`.`p_key`,
                          `t28`.`delta_us`,
                          ROW_NUMBER() OVER (
                            PARTITION BY `t28`.`event_key`
                            ORDER BY ABS(`t28`.`delta_us`) ASC NULLS LAST, `t28`.`p_key` ASC NULLS LAST
                          ) - 1 AS `_rank`
                        FROM (
                          SELECT
                            `t25`.`event_key`,
                            `t25`.`host`,
                            `t25`.`host_name`,
                            `t25`.`time_us`,
                            `t25`.`record_id`,
                            `t25`.`event_id`,
                            `t25`.`channel`,
                            `t25`.`file`,
                            `t25`.`sha256`,
                            `t25`.`pid`,
                            `t25`.`parent_pid`,
                            `t25`.`logon_id`,
                            `t25`.`image`,
                            `t25`.`command_line`,
                            `t25`.`parent_image`,
                            `t25`.`parent_command_line`,
                            `t25`.`process_guid`,
                            `t25`.`parent_process_guid`,
                            `t25`.`user_sid`,
                            `t25`.`user_name`,
                            `t25`.`user_domain`,
                            `t25`.`integrity`,
                            `t25`.`telemetry`,
                            `t25`.`p_host`,
                            `t25`.`p_pid`,
                            `t25`.`p_image`,
                            `t25`.`p_time`,
                            `t25`.`p_key`,
                            `t25`.`time_us` - `t25`.`p_time` AS `delta_us`
                          FROM (
                            SELECT
                              `t19`.`event_key`,
                              `t19`.`host`,
                              `t19`.`host_name`,
                              `t19`.`time_us`,
                              `t19`.`record_id`,
                              `t19`.`event_id`,
                              `t19`.`channel`,
                              `t19`.`file`,
                              `t19`.`sha256`,
                              `t19`.`pid`,
                              `t19`.`parent_pid`,
                              `t19`.`logon_id`,
                              `t19`.`image`,
                              `t19`.`command_line`,
                              `t19`.`parent_image`,
                              `t19`.`parent_command_line`,
                              `t19`.`process_guid`,
                              `t19`.`parent_process_guid`,
                              `t19`.`user_sid`,
                              `t19`.`user_name`,
                              `t19`.`user_domain`,
                              `t19`.`integrity`,
                              `t19`.`telemetry`,
                              `t20`.`p_host`,
                              `t20`.`p_pid`,
                              `t20`.`p_image`,
                              `t20`.`p_time`,
                              `t20`.`p_key`
                            FROM (
                              SELECT
                                `t1`.`event_key`,
                                `t1`.`host`,
                                `t1`.`host_name`,
                                `t1`.`time_us`,
                                `t1`.`record_id`,
                                `t1`.`event_id`,
                                `t1`.`channel`,
                                `t1`.`file`,
                                `t1`.`sha256`,
                                `t1`.`pid`,
                                `t1`.`parent_pid`,
                                `t1`.`logon_id`,
                                `t1`.`image`,
                                `t1`.`command_line`,
                                `t1`.`parent_image`,
                                `t1`.`parent_command_line`,
                                `t1`.`process_guid`,
                                `t1`.`parent_process_guid`,
                                `t1`.`user_sid`,
                                `t1`.`user_name`,
                                `t1`.`user_domain`,
                                `t1`.`integrity`,
                                `t1`.`telemetry`
                              FROM `process` AS `t1`
                              WHERE
                                `t1`.`telemetry` = 'sysmon-1'
                            ) AS `t19`
                            INNER JOIN (
                              SELECT
                                `t1`.`host` AS `p_host`,
                                `t1`.`pid` AS `p_pid`,
                                LOWER(`t1`.`image`) AS `p_image`,
                                `t1`.`time_us` AS `p_time`,
                                `t1`.`event_key` AS `p_key`
                              FROM `process` AS `t1`
                              WHERE
                                `t1`.`telemetry` = 'security-4688'
                            ) AS `t20`
                              ON `t19`.`host` = `t20`.`p_host`
                              AND `t19`.`pid` = `t20`.`p_pid`
                              AND LOWER(`t19`.`image`) = `t20`.`p_image`
                              AND ABS(`t19`.`time_us` - `t20`.`p_time`) <= 60000000
                          ) AS `t25`
                        ) AS `t28`
                      ) AS `t31`
                      WHERE
                        `t31`.`_rank` = 0
                    ) AS `t32`
                    GROUP BY
                      1
                  ) AS `t34`
                ) AS `t39`
                  ON `t17`.`c_host` = `t39`.`k_host`
              ) AS `t41`
            ) AS `t43`
            INNER JOIN `process` AS `t4`
              ON `t43`.`c_host` = `t4`.`host`
              AND `t43`.`c_logon` = `t4`.`logon_id`
              AND `t4`.`time_us` >= (
                (
                  `t43`.`c_time` - 120000000
                ) - (
                  ABS(`t43`.`c_skew`) + `t43`.`c_tol`
                )
              )
              AND `t4`.`time_us` <= (
                `t43`.`c_time` + (
                  ABS(`t43`.`c_skew`) + `t43`.`c_tol`
                )
              )
          ) AS `t46`
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              `t44`.`creation_key`,
              `t44`.`c_host`,
              `t44`.`c_time`,
              `t44`.`c_logon`,
              `t44`.`c_channel`,
              `t44`.`c_record`,
              `t44`.`c_name`,
              `t44`.`c_skew`,
              `t44`.`c_tol`,
              `t44`.`c_sec`,
              `t44`.`event_key`,
              `t44`.`host`,
              `t44`.`host_name`,
              `t44`.`time_us`,
              `t44`.`record_id`,
              `t44`.`event_id`,
              `t44`.`channel`,
              `t44`.`file`,
              `t44`.`sha256`,
              `t44`.`pid`,
              `t44`.`parent_pid`,
              `t44`.`logon_id`,
              `t44`.`image`,
              `t44`.`command_line`,
              `t44`.`parent_image`,
              `t44`.`parent_command_line`,
              `t44`.`process_guid`,
              `t44`.`parent_process_guid`,
              `t44`.`user_sid`,
              `t44`.`user_name`,
              `t44`.`user_domain`,
              `t44`.`integrity`,
              `t44`.`telemetry`
            FROM (
              SELECT
                `t43`.`creation_key`,
                `t43`.`c_host`,
                `t43`.`c_time`,
                `t43`.`c_logon`,
                `t43`.`c_channel`,
                `t43`.`c_record`,
                `t43`.`c_name`,
                `t43`.`c_skew`,
                `t43`.`c_tol`,
                `t43`.`c_sec`,
                `t40`.`event_key`,
                `t40`.`host`,
                `t40`.`host_name`,
                `t40`.`time_us`,
                `t40`.`record_id`,
                `t40`.`event_id`,
                `t40`.`channel`,
                `t40`.`file`,
                `t40`.`sha256`,
                `t40`.`pid`,
                `t40`.`parent_pid`,
                `t40`.`logon_id`,
                `t40`.`image`,
                `t40`.`command_line`,
                `t40`.`parent_image`,
                `t40`.`parent_command_line`,
                `t40`.`process_guid`,
                `t40`.`parent_process_guid`,
                `t40`.`user_sid`,
                `t40`.`user_name`,
                `t40`.`user_domain`,
                `t40`.`integrity`,
                `t40`.`telemetry`,
                `t40`.`f_key`,
                `t40`.`f_end`
              FROM (
                SELECT
                  `t41`.`creation_key`,
                  `t41`.`c_host`,
                  `t41`.`c_time`,
                  `t41`.`c_logon`,
                  `t41`.`c_channel`,
                  `t41`.`c_record`,
                  `t41`.`c_name`,
                  COALESCE(`t41`.`k_skew`, 0) AS `c_skew`,
                  COALESCE(`t41`.`k_tol`, 5000000) AS `c_tol`,
                  `t41`.`c_time` - IF(CONTAINS(LOWER(`t41`.`c_channel`), 'sysmon'), COALESCE(`t41`.`k_skew`, 0), 0) AS `c_sec`
                FROM (
                  SELECT
                    `t17`.`creation_key`,
                    `t17`.`c_host`,
                    `t17`.`c_time`,
                    `t17`.`c_logon`,
                    `t17`.`c_channel`,
                    `t17`.`c_record`,
                    `t17`.`c_name`,
                    `t39`.`k_host`,
                    `t39`.`k_skew`,
                    `t39`.`k_tol`
                  FROM (
                    SELECT
                      `t0`.`event_key` AS `creation_key`,
                      `t0`.`host` AS `c_host`,
                      `t0`.`time_us` AS `c_time`,
                      `t0`.`creator_logon_id` AS `c_logon`,
                      `t0`.`channel` AS `c_channel`,
                      `t0`.`record_id` AS `c_record`,
                      LOWER(`t0`.`account_name`) AS `c_name`
                    FROM `acctrace_an1604_creation` AS `t0`
                  ) AS `t17`
                  LEFT OUTER JOIN (
                    SELECT
                      `t34`.`host` AS `k_host`,
                      IF(`t34`.`pairs` >= 3, `t34`.`median_us`, 0) AS `k_skew`,
                      IF(
                        `t34`.`pairs` >= 3,
                        LEAST((
                          `t34`.`high_us` - `t34`.`low_us`
                        ) + 10000, 5000000),
                        5000000
                      ) AS `k_tol`
                    FROM (
                      SELECT
                        `t32`.`host`,
                        COUNT(*) AS `pairs`,
                        CAST(PERCENTILE_APPROX(`t32`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                        MIN(`t32`.`delta_us`) AS `low_us`,
                        MAX(`t32`.`delta_us`) AS `high_us`
                      FROM (
                        SELECT
                          `t31`.`host`,
                          `t31`.`delta_us`
                        FROM (
                          SELECT
                            `t28`.`event_key`,
                            `t28`.`host`,
                            `t28`.`host_name`,
                            `t28`.`time_us`,
                            `t28`.`record_id`,
                            `t28`.`event_id`,
                            `t28`.`channel`,
                            `t28`.`file`,
                            `t28`.`sha256`,
                            `t28`.`pid`,
                            `t28`.`parent_pid`,
                            `t28`.`logon_id`,
                            `t28`.`image`,
                            `t28`.`command_line`,
                            `t28`.`parent_image`,
                            `t28`.`parent_command_line`,
                            `t28`.`process_guid`,
                            `t28`.`parent_process_guid`,
                            `t28`.`user_sid`,
                            `t28`.`user_name`,
                            `t28`.`user_domain`,
                            `t28`.`integrity`,
                            `t28`.`telemetry`,
                            `t28`.`p_host`,
                            `t28`.`p_pid`,
                            `t28`.`p_image`,
                            `t28`.`p_time`,
                            `t28`.`p_key`,
                            `t28`.`delta_us`,
                            ROW_NUMBER() OVER (
                              PARTITION BY `t28`.`event_key`
                              ORDER BY ABS(`t28`.`delta_us`) ASC NULLS LAST, `t28`.`p_key` ASC NULLS LAST
                            ) - 1 AS `_rank`
                          FROM (
                            SELECT
                              `t25`.`event_key`,
                              `t25`.`host`,
                              `t25`.`host_name`,
                              `t25`.`time_us`,
                              `t25`.`record_id`,
                              `t25`.`event_id`,
                              `t25`.`channel`,
                              `t25`.`file`,
                              `t25`.`sha256`,
                              `t25`.`pid`,
                              `t25`.`parent_pid`,
                              `t25`.`logon_id`,
                              `t25`.`image`,
                              `t25`.`command_line`,
                              `t25`.`parent_image`,
                              `t25`.`parent_command_line`,
                              `t25`.`process_guid`,
                              `t25`.`parent_process_guid`,
                              `t25`.`user_sid`,
                              `t25`.`user_name`,
                              `t25`.`user_domain`,
                              `t25`.`integrity`,
                              `t25`.`telemetry`,
                              `t25`.`p_host`,
                              `t25`.`p_pid`,
                              `t25`.`p_image`,
                              `t25`.`p_time`,
                              `t25`.`p_key`,
                              `t25`.`time_us` - `t25`.`p_time` AS `delta_us`
                            FROM (
                              SELECT
                                `t19`.`event_key`,
                                `t19`.`host`,
                                `t19`.`host_name`,
                                `t19`.`time_us`,
                                `t19`.`record_id`,
                                `t19`.`event_id`,
                                `t19`.`channel`,
                                `t19`.`file`,
                                `t19`.`sha256`,
                                `t19`.`pid`,
                                `t19`.`parent_pid`,
                                `t19`.`logon_id`,
                                `t19`.`image`,
                                `t19`.`command_line`,
                                `t19`.`parent_image`,
                                `t19`.`parent_command_line`,
                                `t19`.`process_guid`,
                                `t19`.`parent_process_guid`,
                                `t19`.`user_sid`,
                                `t19`.`user_name`,
                                `t19`.`user_domain`,
                                `t19`.`integrity`,
                                `t19`.`telemetry`,
                                `t20`.`p_host`,
                                `t20`.`p_pid`,
                                `t20`.`p_image`,
                                `t20`.`p_time`,
                                `t20`.`p_key`
                              FROM (
                                SELECT
                                  `t1`.`event_key`,
                                  `t1`.`host`,
                                  `t1`.`host_name`,
                                  `t1`.`time_us`,
                                  `t1`.`record_id`,
                                  `t1`.`event_id`,
                                  `t1`.`channel`,
                                  `t1`.`file`,
                                  `t1`.`sha256`,
                                  `t1`.`pid`,
                                  `t1`.`parent_pid`,
                                  `t1`.`logon_id`,
                                  `t1`.`image`,
                                  `t1`.`command_line`,
                                  `t1`.`parent_image`,
                                  `t1`.`parent_command_line`,
                                  `t1`.`process_guid`,
                                  `t1`.`parent_process_guid`,
                                  `t1`.`user_sid`,
                                  `t1`.`user_name`,
                                  `t1`.`user_domain`,
                                  `t1`.`integrity`,
                                  `t1`.`telemetry`
                                FROM `process` AS `t1`
                                WHERE
                                  `t1`.`telemetry` = 'sysmon-1'
                              ) AS `t19`
                              INNER JOIN (
                                SELECT
                                  `t1`.`host` AS `p_host`,
                                  `t1`.`pid` AS `p_pid`,
                                  LOWER(`t1`.`image`) AS `p_image`,
                                  `t1`.`time_us` AS `p_time`,
                                  `t1`.`event_key` AS `p_key`
                                FROM `process` AS `t1`
                                WHERE
                                  `t1`.`telemetry` = 'security-4688'
                              ) AS `t20`
                                ON `t19`.`host` = `t20`.`p_host`
                                AND `t19`.`pid` = `t20`.`p_pid`
                                AND LOWER(`t19`.`image`) = `t20`.`p_image`
                                AND ABS(`t19`.`time_us` - `t20`.`p_time`) <= 60000000
                            ) AS `t25`
                          ) AS `t28`
                        ) AS `t31`
                        WHERE
                          `t31`.`_rank` = 0
                      ) AS `t32`
                      GROUP BY
                        1
                    ) AS `t34`
                  ) AS `t39`
                    ON `t17`.`c_host` = `t39`.`k_host`
                ) AS `t41`
              ) AS `t43`
              INNER JOIN (
                SELECT
                  `t30`.`event_key`,
                  `t30`.`host`,
                  `t30`.`host_name`,
                  `t30`.`time_us`,
                  `t30`.`record_id`,
                  `t30`.`event_id`,
                  `t30`.`channel`,
                  `t30`.`file`,
                  `t30`.`sha256`,
                  `t30`.`pid`,
                  `t30`.`parent_pid`,
                  `t30`.`logon_id`,
                  `t30`.`image`,
                  `t30`.`command_line`,
                  `t30`.`parent_image`,
                  `t30`.`parent_command_line`,
                  `t30`.`process_guid`,
                  `t30`.`parent_process_guid`,
                  `t30`.`user_sid`,
                  `t30`.`user_name`,
                  `t30`.`user_domain`,
                  `t30`.`integrity`,
                  `t30`.`telemetry`,
                  `t36`.`f_key`,
                  `t36`.`f_end`
                FROM (
                  SELECT
                    `t1`.`event_key`,
                    `t1`.`host`,
                    `t1`.`host_name`,
                    `t1`.`time_us`,
                    `t1`.`record_id`,
                    `t1`.`event_id`,
                    `t1`.`channel`,
                    `t1`.`file`,
                    `t1`.`sha256`,
                    `t1`.`pid`,
                    `t1`.`parent_pid`,
                    `t1`.`logon_id`,
                    `t1`.`image`,
                    `t1`.`command_line`,
                    `t1`.`parent_image`,
                    `t1`.`parent_command_line`,
                    `t1`.`process_guid`,
                    `t1`.`parent_process_guid`,
                    `t1`.`user_sid`,
                    `t1`.`user_name`,
                    `t1`.`user_domain`,
                    `t1`.`integrity`,
                    `t1`.`telemetry`
                  FROM `process` AS `t1`
                  WHERE
                    COALESCE(
                      REPLACE(LOWER(`t1`.`image`), '/', '\\') IN (
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
                      OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\powershell.exe')
                      OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\pwsh.exe')
                      OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\powershell_ise.exe')
                      OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wsmprovhost.exe')
                      OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\cscript.exe')
                      OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wscript.exe')
                      OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\mshta.exe')
                      OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wmiprvse.exe')
                      OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\mmc.exe')
                      OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\rundll32.exe')
                      OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\python.exe')
                      OR (
                        CONTAINS(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\')
                        AND NOT (
                          FALSE
                          OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\system32\\')
                          OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\syswow64\\')
                          OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\')
                          OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\program files\\')
                          OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\program files (x86)\\')
                          OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '%systemroot%\\')
                          OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\systemroot\\')
                        )
                      ),
                      FALSE
                    )
                ) AS `t30`
                LEFT OUTER JOIN (
                  SELECT
                    `t33`.`event_key` AS `f_key`,
                    MIN(`t33`.`e_time`) AS `f_end`
                  FROM (
                    SELECT
                      `t30`.`event_key`,
                      `t30`.`host`,
                      `t30`.`host_name`,
                      `t30`.`time_us`,
                      `t30`.`record_id`,
                      `t30`.`event_id`,
                      `t30`.`channel`,
                      `t30`.`file`,
                      `t30`.`sha256`,
                      `t30`.`pid`,
                      `t30`.`parent_pid`,
                      `t30`.`logon_id`,
                      `t30`.`image`,
                      `t30`.`command_line`,
                      `t30`.`parent_image`,
                      `t30`.`parent_command_line`,
                      `t30`.`process_guid`,
                      `t30`.`parent_process_guid`,
                      `t30`.`user_sid`,
                      `t30`.`user_name`,
                      `t30`.`user_domain`,
                      `t30`.`integrity`,
                      `t30`.`telemetry`,
                      `t14`.`e_host`,
                      `t14`.`e_pid`,
                      `t14`.`e_guid`,
                      `t14`.`e_time`
                    FROM (
                      SELECT
                        `t1`.`event_key`,
                        `t1`.`host`,
                        `t1`.`host_name`,
                        `t1`.`time_us`,
                        `t1`.`record_id`,
                        `t1`.`event_id`,
                        `t1`.`channel`,
                        `t1`.`file`,
                        `t1`.`sha256`,
                        `t1`.`pid`,
                        `t1`.`parent_pid`,
                        `t1`.`logon_id`,
                        `t1`.`image`,
                        `t1`.`command_line`,
                        `t1`.`parent_image`,
                        `t1`.`parent_command_line`,
                        `t1`.`process_guid`,
                        `t1`.`parent_process_guid`,
                        `t1`.`user_sid`,
                        `t1`.`user_name`,
                        `t1`.`user_domain`,
                        `t1`.`integrity`,
                        `t1`.`telemetry`
                      FROM `process` AS `t1`
                      WHERE
                        COALESCE(
                          REPLACE(LOWER(`t1`.`image`), '/', '\\') IN (
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
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\powershell.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\pwsh.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\powershell_ise.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wsmprovhost.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\cscript.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wscript.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\mshta.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wmiprvse.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\mmc.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\rundll32.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\python.exe')
                          OR (
                            CONTAINS(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\')
                            AND NOT (
                              FALSE
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\system32\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\syswow64\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\program files\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\program files (x86)\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '%systemroot%\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\systemroot\\')
                            )
                          ),
                          FALSE
                        )
                    ) AS `t30`
                    INNER JOIN (
                      SELECT
                        `t2`.`host` AS `e_host`,
                        `t2`.`pid` AS `e_pid`,
                        `t2`.`process_guid` AS `e_guid`,
                        `t2`.`time_us` AS `e_time`
                      FROM `process_end` AS `t2`
                    ) AS `t14`
                      ON `t30`.`host` = `t14`.`e_host`
                      AND `t30`.`pid` = `t14`.`e_pid`
                      AND (
                        (
                          `t30`.`process_guid` IS NULL
                        )
                        OR (
                          `t14`.`e_guid` IS NULL
                        )
                        OR (
                          `t30`.`process_guid` = `t14`.`e_guid`
                        )
                      )
                      AND `t14`.`e_time` >= `t30`.`time_us`
                  ) AS `t33`
                  GROUP BY
                    1
                ) AS `t36`
                  ON `t30`.`event_key` = `t36`.`f_key`
              ) AS `t40`
                ON `t43`.`c_host` = `t40`.`host`
                AND `t43`.`c_logon` = `t40`.`logon_id`
                AND `t40`.`time_us` < (
                  (
                    `t43`.`c_time` - 120000000
                  ) - (
                    ABS(`t43`.`c_skew`) + `t43`.`c_tol`
                  )
                )
            ) AS `t44`
            WHERE
              (
                `t44`.`f_end` IS NULL
              )
              OR (
                `t44`.`f_end` >= (
                  (
                    `t44`.`c_time` - 120000000
                  ) - (
                    ABS(`t44`.`c_skew`) + `t44`.`c_tol`
                  )
                )
              )
          ) AS `t47`
        ) AS `t48`
        WHERE
          (
            (
              (
                `t48`.`channel` = `t48`.`c_channel`
              )
              AND (
                NOT `t48`.`record_id` IS NULL
              )
              AND (
                NOT `t48`.`c_record` IS NULL
              )
              AND (
                `t48`.`record_id` < `t48`.`c_record`
              )
            )
            OR (
              NOT (
                (
                  `t48`.`channel` = `t48`.`c_channel`
                )
                AND (
                  NOT `t48`.`record_id` IS NULL
                )
                AND (
                  NOT `t48`.`c_record` IS NULL
                )
              )
              AND (
                (
                  `t48`.`time_us` - IF(CONTAINS(LOWER(`t48`.`channel`), 'sysmon'), `t48`.`c_skew`, 0)
                ) <= (
                  `t48`.`c_sec` + `t48`.`c_tol`
                )
              )
            )
          )
          AND (
            (
              (
                `t48`.`time_us` - IF(CONTAINS(LOWER(`t48`.`channel`), 'sysmon'), `t48`.`c_skew`, 0)
              ) >= (
                `t48`.`c_sec` - 120000000
              )
            )
            OR COALESCE(
              REPLACE(LOWER(`t48`.`image`), '/', '\\') IN (
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
              OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\powershell.exe')
              OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\pwsh.exe')
              OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\powershell_ise.exe')
              OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\wsmprovhost.exe')
              OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\cscript.exe')
              OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\wscript.exe')
              OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\mshta.exe')
              OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\wmiprvse.exe')
              OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\mmc.exe')
              OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\rundll32.exe')
              OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\python.exe')
              OR (
                CONTAINS(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\')
                AND NOT (
                  FALSE
                  OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), 'c:\\windows\\system32\\')
                  OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), 'c:\\windows\\syswow64\\')
                  OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), 'c:\\windows\\')
                  OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), 'c:\\program files\\')
                  OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), 'c:\\program files (x86)\\')
                  OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '%systemroot%\\')
                  OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\systemroot\\')
                )
              ),
              FALSE
            )
          )
      ) AS `t55`
      LEFT ANTI JOIN (
        SELECT DISTINCT
          `t58`.`creation_key` AS `d_creation`,
          `t58`.`event_key` AS `d_key`
        FROM (
          SELECT
            `t55`.`creation_key`,
            `t55`.`c_host`,
            `t55`.`c_time`,
            `t55`.`c_logon`,
            `t55`.`c_channel`,
            `t55`.`c_record`,
            `t55`.`c_name`,
            `t55`.`c_skew`,
            `t55`.`c_tol`,
            `t55`.`c_sec`,
            `t55`.`event_key`,
            `t55`.`host`,
            `t55`.`host_name`,
            `t55`.`time_us`,
            `t55`.`record_id`,
            `t55`.`event_id`,
            `t55`.`channel`,
            `t55`.`file`,
            `t55`.`sha256`,
            `t55`.`pid`,
            `t55`.`parent_pid`,
            `t55`.`logon_id`,
            `t55`.`image`,
            `t55`.`command_line`,
            `t55`.`parent_image`,
            `t55`.`parent_command_line`,
            `t55`.`process_guid`,
            `t55`.`parent_process_guid`,
            `t55`.`user_sid`,
            `t55`.`user_name`,
            `t55`.`user_domain`,
            `t55`.`integrity`,
            `t55`.`telemetry`,
            `t55`.`surely_before`,
            `t55`.`in_window`,
            `t16`.`e_host`,
            `t16`.`e_pid`,
            `t16`.`e_guid`,
            `t16`.`e_time`,
            `t16`.`e_channel`,
            `t16`.`e_record`
          FROM (
            SELECT
              `t48`.`creation_key`,
              `t48`.`c_host`,
              `t48`.`c_time`,
              `t48`.`c_logon`,
              `t48`.`c_channel`,
              `t48`.`c_record`,
              `t48`.`c_name`,
              `t48`.`c_skew`,
              `t48`.`c_tol`,
              `t48`.`c_sec`,
              `t48`.`event_key`,
              `t48`.`host`,
              `t48`.`host_name`,
              `t48`.`time_us`,
              `t48`.`record_id`,
              `t48`.`event_id`,
              `t48`.`channel`,
              `t48`.`file`,
              `t48`.`sha256`,
              `t48`.`pid`,
              `t48`.`parent_pid`,
              `t48`.`logon_id`,
              `t48`.`image`,
              `t48`.`command_line`,
              `t48`.`parent_image`,
              `t48`.`parent_command_line`,
              `t48`.`process_guid`,
              `t48`.`parent_process_guid`,
              `t48`.`user_sid`,
              `t48`.`user_name`,
              `t48`.`user_domain`,
              `t48`.`integrity`,
              `t48`.`telemetry`,
              (
                (
                  `t48`.`channel` = `t48`.`c_channel`
                )
                AND (
                  NOT `t48`.`record_id` IS NULL
                )
                AND (
                  NOT `t48`.`c_record` IS NULL
                )
                AND (
                  `t48`.`record_id` < `t48`.`c_record`
                )
              )
              OR (
                NOT (
                  (
                    `t48`.`channel` = `t48`.`c_channel`
                  )
                  AND (
                    NOT `t48`.`record_id` IS NULL
                  )
                  AND (
                    NOT `t48`.`c_record` IS NULL
                  )
                )
                AND (
                  (
                    `t48`.`time_us` - IF(CONTAINS(LOWER(`t48`.`channel`), 'sysmon'), `t48`.`c_skew`, 0)
                  ) < (
                    `t48`.`c_sec` - `t48`.`c_tol`
                  )
                )
              ) AS `surely_before`,
              (
                `t48`.`time_us` - IF(CONTAINS(LOWER(`t48`.`channel`), 'sysmon'), `t48`.`c_skew`, 0)
              ) >= (
                `t48`.`c_sec` - 120000000
              ) AS `in_window`
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  `t43`.`creation_key`,
                  `t43`.`c_host`,
                  `t43`.`c_time`,
                  `t43`.`c_logon`,
                  `t43`.`c_channel`,
                  `t43`.`c_record`,
                  `t43`.`c_name`,
                  `t43`.`c_skew`,
                  `t43`.`c_tol`,
                  `t43`.`c_sec`,
                  `t4`.`event_key`,
                  `t4`.`host`,
                  `t4`.`host_name`,
                  `t4`.`time_us`,
                  `t4`.`record_id`,
                  `t4`.`event_id`,
                  `t4`.`channel`,
                  `t4`.`file`,
                  `t4`.`sha256`,
                  `t4`.`pid`,
                  `t4`.`parent_pid`,
                  `t4`.`logon_id`,
                  `t4`.`image`,
                  `t4`.`command_line`,
                  `t4`.`parent_image`,
                  `t4`.`parent_command_line`,
                  `t4`.`process_guid`,
                  `t4`.`parent_process_guid`,
                  `t4`.`user_sid`,
                  `t4`.`user_name`,
                  `t4`.`user_domain`,
                  `t4`.`integrity`,
                  `t4`.`telemetry`
                FROM (
                  SELECT
                    `t41`.`creation_key`,
                    `t41`.`c_host`,
                    `t41`.`c_time`,
                    `t41`.`c_logon`,
                    `t41`.`c_channel`,
                    `t41`.`c_record`,
                    `t41`.`c_name`,
                    COALESCE(`t41`.`k_skew`, 0) AS `c_skew`,
                    COALESCE(`t41`.`k_tol`, 5000000) AS `c_tol`,
                    `t41`.`c_time` - IF(CONTAINS(LOWER(`t41`.`c_channel`), 'sysmon'), COALESCE(`t41`.`k_skew`, 0), 0) AS `c_sec`
                  FROM (
                    SELECT
                      `t17`.`creation_key`,
                      `t17`.`c_host`,
                      `t17`.`c_time`,
                      `t17`.`c_logon`,
                      `t17`.`c_channel`,
                      `t17`.`c_record`,
                      `t17`.`c_name`,
                      `t39`.`k_host`,
                      `t39`.`k_skew`,
                      `t39`.`k_tol`
                    FROM (
                      SELECT
                        `t0`.`event_key` AS `creation_key`,
                        `t0`.`host` AS `c_host`,
                        `t0`.`time_us` AS `c_time`,
                        `t0`.`creator_logon_id` AS `c_logon`,
                        `t0`.`channel` AS `c_channel`,
                        `t0`.`record_id` AS `c_record`,
                        LOWER(`t0`.`account_name`) AS `c_name`
                      FROM `acctrace_an1604_creation` AS `t0`
                    ) AS `t17`
                    LEFT OUTER JOIN (
                      SELECT
                        `t34`.`host` AS `k_host`,
                        IF(`t34`.`pairs` >= 3, `t34`.`median_us`, 0) AS `k_skew`,
                        IF(
                          `t34`.`pairs` >= 3,
                          LEAST((
                            `t34`.`high_us` - `t34`.`low_us`
                          ) + 10000, 5000000),
                          5000000
                        ) AS `k_tol`
                      FROM (
                        SELECT
                          `t32`.`host`,
                          COUNT(*) AS `pairs`,
                          CAST(PERCENTILE_APPROX(`t32`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                          MIN(`t32`.`delta_us`) AS `low_us`,
                          MAX(`t32`.`delta_us`) AS `high_us`
                        FROM (
                          SELECT
                            `t31`.`host`,
                            `t31`.`delta_us`
                          FROM (
                            SELECT
                              `t28`.`event_key`,
                              `t28`.`host`,
                              `t28`.`host_name`,
                              `t28`.`time_us`,
                              `t28`.`record_id`,
                              `t28`.`event_id`,
                              `t28`.`channel`,
                              `t28`.`file`,
                              `t28`.`sha256`,
                              `t28`.`pid`,
                              `t28`.`parent_pid`,
                              `t28`.`logon_id`,
                              `t28`.`image`,
                              `t28`.`command_line`,
                              `t28`.`parent_image`,
                              `t28`.`parent_command_line`,
                              `t28`.`process_guid`,
                              `t28`.`parent_process_guid`,
                              `t28`.`user_sid`,
                              `t28`.`user_name`,
                              `t28`.`user_domain`,
                              `t28`.`integrity`,
                              `t28`.`telemetry`,
                              `t28`.`p_host`,
                              `t28`.`p_pid`,
                              `t28`.`p_image`,
                              `t28`.`p_time`,
                              `t28`.`p_key`,
                              `t28`.`delta_us`,
                              ROW_NUMBER() OVER (
                                PARTITION BY `t28`.`event_key`
                                ORDER BY ABS(`t28`.`delta_us`) ASC NULLS LAST, `t28`.`p_key` ASC NULLS LAST
                              ) - 1 AS `_rank`
                            FROM (
                              SELECT
                                `t25`.`event_key`,
                                `t25`.`host`,
                                `t25`.`host_name`,
                                `t25`.`time_us`,
                                `t25`.`record_id`,
                                `t25`.`event_id`,
                                `t25`.`channel`,
                                `t25`.`file`,
                                `t25`.`sha256`,
                                `t25`.`pid`,
                                `t25`.`parent_pid`,
                                `t25`.`logon_id`,
                                `t25`.`image`,
                                `t25`.`command_line`,
                                `t25`.`parent_image`,
                                `t25`.`parent_command_line`,
                                `t25`.`process_guid`,
                                `t25`.`parent_process_guid`,
                                `t25`.`user_sid`,
                                `t25`.`user_name`,
                                `t25`.`user_domain`,
                                `t25`.`integrity`,
                                `t25`.`telemetry`,
                                `t25`.`p_host`,
                                `t25`.`p_pid`,
                                `t25`.`p_image`,
                                `t25`.`p_time`,
                                `t25`.`p_key`,
                                `t25`.`time_us` - `t25`.`p_time` AS `delta_us`
                              FROM (
                                SELECT
                                  `t19`.`event_key`,
                                  `t19`.`host`,
                                  `t19`.`host_name`,
                                  `t19`.`time_us`,
                                  `t19`.`record_id`,
                                  `t19`.`event_id`,
                                  `t19`.`channel`,
                                  `t19`.`file`,
                                  `t19`.`sha256`,
                                  `t19`.`pid`,
                                  `t19`.`parent_pid`,
                                  `t19`.`logon_id`,
                                  `t19`.`image`,
                                  `t19`.`command_line`,
                                  `t19`.`parent_image`,
                                  `t19`.`parent_command_line`,
                                  `t19`.`process_guid`,
                                  `t19`.`parent_process_guid`,
                                  `t19`.`user_sid`,
                                  `t19`.`user_name`,
                                  `t19`.`user_domain`,
                                  `t19`.`integrity`,
                                  `t19`.`telemetry`,
                                  `t20`.`p_host`,
                                  `t20`.`p_pid`,
                                  `t20`.`p_image`,
                                  `t20`.`p_time`,
                                  `t20`.`p_key`
                                FROM (
                                  SELECT
                                    `t1`.`event_key`,
                                    `t1`.`host`,
                                    `t1`.`host_name`,
                                    `t1`.`time_us`,
                                    `t1`.`record_id`,
                                    `t1`.`event_id`,
                                    `t1`.`channel`,
                                    `t1`.`file`,
                                    `t1`.`sha256`,
                                    `t1`.`pid`,
                                    `t1`.`parent_pid`,
                                    `t1`.`logon_id`,
                                    `t1`.`image`,
                                    `t1`.`command_line`,
                                    `t1`.`parent_image`,
                                    `t1`.`parent_command_line`,
                                    `t1`.`process_guid`,
                                    `t1`.`parent_process_guid`,
                                    `t1`.`user_sid`,
                                    `t1`.`user_name`,
                                    `t1`.`user_domain`,
                                    `t1`.`integrity`,
                                    `t1`.`telemetry`
                                  FROM `process` AS `t1`
                                  WHERE
                                    `t1`.`telemetry` = 'sysmon-1'
                                ) AS `t19`
                                INNER JOIN (
                                  SELECT
                                    `t1`.`host` AS `p_host`,
                                    `t1`.`pid` AS `p_pid`,
                                    LOWER(`t1`.`image`) AS `p_image`,
                                    `t1`.`time_us` AS `p_time`,
                                    `t1`.`event_key` AS `p_key`
                                  FROM `process` AS `t1`
                                  WHERE
                                    `t1`.`telemetry` = 'security-4688'
                                ) AS `t20`
                                  ON `t19`.`host` = `t20`.`p_host`
                                  AND `t19`.`pid` = `t20`.`p_pid`
                                  AND LOWER(`t19`.`image`) = `t20`.`p_image`
                                  AND ABS(`t19`.`time_us` - `t20`.`p_time`) <= 60000000
                              ) AS `t25`
                            ) AS `t28`
                          ) AS `t31`
                          WHERE
                            `t31`.`_rank` = 0
                        ) AS `t32`
                        GROUP BY
                          1
                      ) AS `t34`
                    ) AS `t39`
                      ON `t17`.`c_host` = `t39`.`k_host`
                  ) AS `t41`
                ) AS `t43`
                INNER JOIN `process` AS `t4`
                  ON `t43`.`c_host` = `t4`.`host`
                  AND `t43`.`c_logon` = `t4`.`logon_id`
                  AND `t4`.`time_us` >= (
                    (
                      `t43`.`c_time` - 120000000
                    ) - (
                      ABS(`t43`.`c_skew`) + `t43`.`c_tol`
                    )
                  )
                  AND `t4`.`time_us` <= (
                    `t43`.`c_time` + (
                      ABS(`t43`.`c_skew`) + `t43`.`c_tol`
                    )
                  )
              ) AS `t46`
              UNION ALL
              SELECT
                *
              FROM (
                SELECT
                  `t44`.`creation_key`,
                  `t44`.`c_host`,
                  `t44`.`c_time`,
                  `t44`.`c_logon`,
                  `t44`.`c_channel`,
                  `t44`.`c_record`,
                  `t44`.`c_name`,
                  `t44`.`c_skew`,
                  `t44`.`c_tol`,
                  `t44`.`c_sec`,
                  `t44`.`event_key`,
                  `t44`.`host`,
                  `t44`.`host_name`,
                  `t44`.`time_us`,
                  `t44`.`record_id`,
                  `t44`.`event_id`,
                  `t44`.`channel`,
                  `t44`.`file`,
                  `t44`.`sha256`,
                  `t44`.`pid`,
                  `t44`.`parent_pid`,
                  `t44`.`logon_id`,
                  `t44`.`image`,
                  `t44`.`command_line`,
                  `t44`.`parent_image`,
                  `t44`.`parent_command_line`,
                  `t44`.`process_guid`,
                  `t44`.`parent_process_guid`,
                  `t44`.`user_sid`,
                  `t44`.`user_name`,
                  `t44`.`user_domain`,
                  `t44`.`integrity`,
                  `t44`.`telemetry`
                FROM (
                  SELECT
                    `t43`.`creation_key`,
                    `t43`.`c_host`,
                    `t43`.`c_time`,
                    `t43`.`c_logon`,
                    `t43`.`c_channel`,
                    `t43`.`c_record`,
                    `t43`.`c_name`,
                    `t43`.`c_skew`,
                    `t43`.`c_tol`,
                    `t43`.`c_sec`,
                    `t40`.`event_key`,
                    `t40`.`host`,
                    `t40`.`host_name`,
                    `t40`.`time_us`,
                    `t40`.`record_id`,
                    `t40`.`event_id`,
                    `t40`.`channel`,
                    `t40`.`file`,
                    `t40`.`sha256`,
                    `t40`.`pid`,
                    `t40`.`parent_pid`,
                    `t40`.`logon_id`,
                    `t40`.`image`,
                    `t40`.`command_line`,
                    `t40`.`parent_image`,
                    `t40`.`parent_command_line`,
                    `t40`.`process_guid`,
                    `t40`.`parent_process_guid`,
                    `t40`.`user_sid`,
                    `t40`.`user_name`,
                    `t40`.`user_domain`,
                    `t40`.`integrity`,
                    `t40`.`telemetry`,
                    `t40`.`f_key`,
                    `t40`.`f_end`
                  FROM (
                    SELECT
                      `t41`.`creation_key`,
                      `t41`.`c_host`,
                      `t41`.`c_time`,
                      `t41`.`c_logon`,
                      `t41`.`c_channel`,
                      `t41`.`c_record`,
                      `t41`.`c_name`,
                      COALESCE(`t41`.`k_skew`, 0) AS `c_skew`,
                      COALESCE(`t41`.`k_tol`, 5000000) AS `c_tol`,
                      `t41`.`c_time` - IF(CONTAINS(LOWER(`t41`.`c_channel`), 'sysmon'), COALESCE(`t41`.`k_skew`, 0), 0) AS `c_sec`
                    FROM (
                      SELECT
                        `t17`.`creation_key`,
                        `t17`.`c_host`,
                        `t17`.`c_time`,
                        `t17`.`c_logon`,
                        `t17`.`c_channel`,
                        `t17`.`c_record`,
                        `t17`.`c_name`,
                        `t39`.`k_host`,
                        `t39`.`k_skew`,
                        `t39`.`k_tol`
                      FROM (
                        SELECT
                          `t0`.`event_key` AS `creation_key`,
                          `t0`.`host` AS `c_host`,
                          `t0`.`time_us` AS `c_time`,
                          `t0`.`creator_logon_id` AS `c_logon`,
                          `t0`.`channel` AS `c_channel`,
                          `t0`.`record_id` AS `c_record`,
                          LOWER(`t0`.`account_name`) AS `c_name`
                        FROM `acctrace_an1604_creation` AS `t0`
                      ) AS `t17`
                      LEFT OUTER JOIN (
                        SELECT
                          `t34`.`host` AS `k_host`,
                          IF(`t34`.`pairs` >= 3, `t34`.`median_us`, 0) AS `k_skew`,
                          IF(
                            `t34`.`pairs` >= 3,
                            LEAST((
                              `t34`.`high_us` - `t34`.`low_us`
                            ) + 10000, 5000000),
                            5000000
                          ) AS `k_tol`
                        FROM (
                          SELECT
                            `t32`.`host`,
                            COUNT(*) AS `pairs`,
                            CAST(PERCENTILE_APPROX(`t32`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                            MIN(`t32`.`delta_us`) AS `low_us`,
                            MAX(`t32`.`delta_us`) AS `high_us`
                          FROM (
                            SELECT
                              `t31`.`host`,
                              `t31`.`delta_us`
                            FROM (
                              SELECT
                                `t28`.`event_key`,
                                `t28`.`host`,
                                `t28`.`host_name`,
                                `t28`.`time_us`,
                                `t28`.`record_id`,
                                `t28`.`event_id`,
                                `t28`.`channel`,
                                `t28`.`file`,
                                `t28`.`sha256`,
                                `t28`.`pid`,
                                `t28`.`parent_pid`,
                                `t28`.`logon_id`,
                                `t28`.`image`,
                                `t28`.`command_line`,
                                `t28`.`parent_image`,
                                `t28`.`parent_command_line`,
                                `t28`.`process_guid`,
                                `t28`.`parent_process_guid`,
                                `t28`.`user_sid`,
                                `t28`.`user_name`,
                                `t28`.`user_domain`,
                                `t28`.`integrity`,
                                `t28`.`telemetry`,
                                `t28`.`p_host`,
                                `t28`.`p_pid`,
                                `t28`.`p_image`,
                                `t28`.`p_time`,
                                `t28`.`p_key`,
                                `t28`.`delta_us`,
                                ROW_NUMBER() OVER (
                                  PARTITION BY `t28`.`event_key`
                                  ORDER BY ABS(`t28`.`delta_us`) ASC NULLS LAST, `t28`.`p_key` ASC NULLS LAST
                                ) - 1 AS `_rank`
                              FROM (
                                SELECT
                                  `t25`.`event_key`,
                                  `t25`.`host`,
                                  `t25`.`host_name`,
                                  `t25`.`time_us`,
                                  `t25`.`record_id`,
                                  `t25`.`event_id`,
                                  `t25`.`channel`,
                                  `t25`.`file`,
                                  `t25`.`sha256`,
                                  `t25`.`pid`,
                                  `t25`.`parent_pid`,
                                  `t25`.`logon_id`,
                                  `t25`.`image`,
                                  `t25`.`command_line`,
                                  `t25`.`parent_image`,
                                  `t25`.`parent_command_line`,
                                  `t25`.`process_guid`,
                                  `t25`.`parent_process_guid`,
                                  `t25`.`user_sid`,
                                  `t25`.`user_name`,
                                  `t25`.`user_domain`,
                                  `t25`.`integrity`,
                                  `t25`.`telemetry`,
                                  `t25`.`p_host`,
                                  `t25`.`p_pid`,
                                  `t25`.`p_image`,
                                  `t25`.`p_time`,
                                  `t25`.`p_key`,
                                  `t25`.`time_us` - `t25`.`p_time` AS `delta_us`
                                FROM (
                                  SELECT
                                    `t19`.`event_key`,
                                    `t19`.`host`,
                                    `t19`.`host_name`,
                                    `t19`.`time_us`,
                                    `t19`.`record_id`,
                                    `t19`.`event_id`,
                                    `t19`.`channel`,
                                    `t19`.`file`,
                                    `t19`.`sha256`,
                                    `t19`.`pid`,
                                    `t19`.`parent_pid`,
                                    `t19`.`logon_id`,
                                    `t19`.`image`,
                                    `t19`.`command_line`,
                                    `t19`.`parent_image`,
                                    `t19`.`parent_command_line`,
                                    `t19`.`process_guid`,
                                    `t19`.`parent_process_guid`,
                                    `t19`.`user_sid`,
                                    `t19`.`user_name`,
                                    `t19`.`user_domain`,
                                    `t19`.`integrity`,
                                    `t19`.`telemetry`,
                                    `t20`.`p_host`,
                                    `t20`.`p_pid`,
                                    `t20`.`p_image`,
                                    `t20`.`p_time`,
                                    `t20`.`p_key`
                                  FROM (
                                    SELECT
                                      `t1`.`event_key`,
                                      `t1`.`host`,
                                      `t1`.`host_name`,
                                      `t1`.`time_us`,
                                      `t1`.`record_id`,
                                      `t1`.`event_id`,
                                      `t1`.`channel`,
                                      `t1`.`file`,
                                      `t1`.`sha256`,
                                      `t1`.`pid`,
                                      `t1`.`parent_pid`,
                                      `t1`.`logon_id`,
                                      `t1`.`image`,
                                      `t1`.`command_line`,
                                      `t1`.`parent_image`,
                                      `t1`.`parent_command_line`,
                                      `t1`.`process_guid`,
                                      `t1`.`parent_process_guid`,
                                      `t1`.`user_sid`,
                                      `t1`.`user_name`,
                                      `t1`.`user_domain`,
                                      `t1`.`integrity`,
                                      `t1`.`telemetry`
                                    FROM `process` AS `t1`
                                    WHERE
                                      `t1`.`telemetry` = 'sysmon-1'
                                  ) AS `t19`
                                  INNER JOIN (
                                    SELECT
                                      `t1`.`host` AS `p_host`,
                                      `t1`.`pid` AS `p_pid`,
                                      LOWER(`t1`.`image`) AS `p_image`,
                                      `t1`.`time_us` AS `p_time`,
                                      `t1`.`event_key` AS `p_key`
                                    FROM `process` AS `t1`
                                    WHERE
                                      `t1`.`telemetry` = 'security-4688'
                                  ) AS `t20`
                                    ON `t19`.`host` = `t20`.`p_host`
                                    AND `t19`.`pid` = `t20`.`p_pid`
                                    AND LOWER(`t19`.`image`) = `t20`.`p_image`
                                    AND ABS(`t19`.`time_us` - `t20`.`p_time`) <= 60000000
                                ) AS `t25`
                              ) AS `t28`
                            ) AS `t31`
                            WHERE
                              `t31`.`_rank` = 0
                          ) AS `t32`
                          GROUP BY
                            1
                        ) AS `t34`
                      ) AS `t39`
                        ON `t17`.`c_host` = `t39`.`k_host`
                    ) AS `t41`
                  ) AS `t43`
                  INNER JOIN (
                    SELECT
                      `t30`.`event_key`,
                      `t30`.`host`,
                      `t30`.`host_name`,
                      `t30`.`time_us`,
                      `t30`.`record_id`,
                      `t30`.`event_id`,
                      `t30`.`channel`,
                      `t30`.`file`,
                      `t30`.`sha256`,
                      `t30`.`pid`,
                      `t30`.`parent_pid`,
                      `t30`.`logon_id`,
                      `t30`.`image`,
                      `t30`.`command_line`,
                      `t30`.`parent_image`,
                      `t30`.`parent_command_line`,
                      `t30`.`process_guid`,
                      `t30`.`parent_process_guid`,
                      `t30`.`user_sid`,
                      `t30`.`user_name`,
                      `t30`.`user_domain`,
                      `t30`.`integrity`,
                      `t30`.`telemetry`,
                      `t36`.`f_key`,
                      `t36`.`f_end`
                    FROM (
                      SELECT
                        `t1`.`event_key`,
                        `t1`.`host`,
                        `t1`.`host_name`,
                        `t1`.`time_us`,
                        `t1`.`record_id`,
                        `t1`.`event_id`,
                        `t1`.`channel`,
                        `t1`.`file`,
                        `t1`.`sha256`,
                        `t1`.`pid`,
                        `t1`.`parent_pid`,
                        `t1`.`logon_id`,
                        `t1`.`image`,
                        `t1`.`command_line`,
                        `t1`.`parent_image`,
                        `t1`.`parent_command_line`,
                        `t1`.`process_guid`,
                        `t1`.`parent_process_guid`,
                        `t1`.`user_sid`,
                        `t1`.`user_name`,
                        `t1`.`user_domain`,
                        `t1`.`integrity`,
                        `t1`.`telemetry`
                      FROM `process` AS `t1`
                      WHERE
                        COALESCE(
                          REPLACE(LOWER(`t1`.`image`), '/', '\\') IN (
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
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\powershell.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\pwsh.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\powershell_ise.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wsmprovhost.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\cscript.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wscript.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\mshta.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wmiprvse.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\mmc.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\rundll32.exe')
                          OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\python.exe')
                          OR (
                            CONTAINS(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\')
                            AND NOT (
                              FALSE
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\system32\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\syswow64\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\program files\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\program files (x86)\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '%systemroot%\\')
                              OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\systemroot\\')
                            )
                          ),
                          FALSE
                        )
                    ) AS `t30`
                    LEFT OUTER JOIN (
                      SELECT
                        `t33`.`event_key` AS `f_key`,
                        MIN(`t33`.`e_time`) AS `f_end`
                      FROM (
                        SELECT
                          `t30`.`event_key`,
                          `t30`.`host`,
                          `t30`.`host_name`,
                          `t30`.`time_us`,
                          `t30`.`record_id`,
                          `t30`.`event_id`,
                          `t30`.`channel`,
                          `t30`.`file`,
                          `t30`.`sha256`,
                          `t30`.`pid`,
                          `t30`.`parent_pid`,
                          `t30`.`logon_id`,
                          `t30`.`image`,
                          `t30`.`command_line`,
                          `t30`.`parent_image`,
                          `t30`.`parent_command_line`,
                          `t30`.`process_guid`,
                          `t30`.`parent_process_guid`,
                          `t30`.`user_sid`,
                          `t30`.`user_name`,
                          `t30`.`user_domain`,
                          `t30`.`integrity`,
                          `t30`.`telemetry`,
                          `t14`.`e_host`,
                          `t14`.`e_pid`,
                          `t14`.`e_guid`,
                          `t14`.`e_time`
                        FROM (
                          SELECT
                            `t1`.`event_key`,
                            `t1`.`host`,
                            `t1`.`host_name`,
                            `t1`.`time_us`,
                            `t1`.`record_id`,
                            `t1`.`event_id`,
                            `t1`.`channel`,
                            `t1`.`file`,
                            `t1`.`sha256`,
                            `t1`.`pid`,
                            `t1`.`parent_pid`,
                            `t1`.`logon_id`,
                            `t1`.`image`,
                            `t1`.`command_line`,
                            `t1`.`parent_image`,
                            `t1`.`parent_command_line`,
                            `t1`.`process_guid`,
                            `t1`.`parent_process_guid`,
                            `t1`.`user_sid`,
                            `t1`.`user_name`,
                            `t1`.`user_domain`,
                            `t1`.`integrity`,
                            `t1`.`telemetry`
                          FROM `process` AS `t1`
                          WHERE
                            COALESCE(
                              REPLACE(LOWER(`t1`.`image`), '/', '\\') IN (
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
                              OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\powershell.exe')
                              OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\pwsh.exe')
                              OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\powershell_ise.exe')
                              OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wsmprovhost.exe')
                              OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\cscript.exe')
                              OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wscript.exe')
                              OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\mshta.exe')
                              OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\wmiprvse.exe')
                              OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\mmc.exe')
                              OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\rundll32.exe')
                              OR ENDSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\python.exe')
                              OR (
                                CONTAINS(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\')
                                AND NOT (
                                  FALSE
                                  OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\system32\\')
                                  OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\syswow64\\')
                                  OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\windows\\')
                                  OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\program files\\')
                                  OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), 'c:\\program files (x86)\\')
                                  OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '%systemroot%\\')
                                  OR STARTSWITH(REPLACE(LOWER(`t1`.`image`), '/', '\\'), '\\systemroot\\')
                                )
                              ),
                              FALSE
                            )
                        ) AS `t30`
                        INNER JOIN (
                          SELECT
                            `t2`.`host` AS `e_host`,
                            `t2`.`pid` AS `e_pid`,
                            `t2`.`process_guid` AS `e_guid`,
                            `t2`.`time_us` AS `e_time`
                          FROM `process_end` AS `t2`
                        ) AS `t14`
                          ON `t30`.`host` = `t14`.`e_host`
                          AND `t30`.`pid` = `t14`.`e_pid`
                          AND (
                            (
                              `t30`.`process_guid` IS NULL
                            )
                            OR (
                              `t14`.`e_guid` IS NULL
                            )
                            OR (
                              `t30`.`process_guid` = `t14`.`e_guid`
                            )
                          )
                          AND `t14`.`e_time` >= `t30`.`time_us`
                      ) AS `t33`
                      GROUP BY
                        1
                    ) AS `t36`
                      ON `t30`.`event_key` = `t36`.`f_key`
                  ) AS `t40`
                    ON `t43`.`c_host` = `t40`.`host`
                    AND `t43`.`c_logon` = `t40`.`logon_id`
                    AND `t40`.`time_us` < (
                      (
                        `t43`.`c_time` - 120000000
                      ) - (
                        ABS(`t43`.`c_skew`) + `t43`.`c_tol`
                      )
                    )
                ) AS `t44`
                WHERE
                  (
                    `t44`.`f_end` IS NULL
                  )
                  OR (
                    `t44`.`f_end` >= (
                      (
                        `t44`.`c_time` - 120000000
                      ) - (
                        ABS(`t44`.`c_skew`) + `t44`.`c_tol`
                      )
                    )
                  )
              ) AS `t47`
            ) AS `t48`
            WHERE
              (
                (
                  (
                    `t48`.`channel` = `t48`.`c_channel`
                  )
                  AND (
                    NOT `t48`.`record_id` IS NULL
                  )
                  AND (
                    NOT `t48`.`c_record` IS NULL
                  )
                  AND (
                    `t48`.`record_id` < `t48`.`c_record`
                  )
                )
                OR (
                  NOT (
                    (
                      `t48`.`channel` = `t48`.`c_channel`
                    )
                    AND (
                      NOT `t48`.`record_id` IS NULL
                    )
                    AND (
                      NOT `t48`.`c_record` IS NULL
                    )
                  )
                  AND (
                    (
                      `t48`.`time_us` - IF(CONTAINS(LOWER(`t48`.`channel`), 'sysmon'), `t48`.`c_skew`, 0)
                    ) <= (
                      `t48`.`c_sec` + `t48`.`c_tol`
                    )
                  )
                )
              )
              AND (
                (
                  (
                    `t48`.`time_us` - IF(CONTAINS(LOWER(`t48`.`channel`), 'sysmon'), `t48`.`c_skew`, 0)
                  ) >= (
                    `t48`.`c_sec` - 120000000
                  )
                )
                OR COALESCE(
                  REPLACE(LOWER(`t48`.`image`), '/', '\\') IN (
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
                  OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\powershell.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\pwsh.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\powershell_ise.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\wsmprovhost.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\cscript.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\wscript.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\mshta.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\wmiprvse.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\mmc.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\rundll32.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\python.exe')
                  OR (
                    CONTAINS(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\')
                    AND NOT (
                      FALSE
                      OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), 'c:\\windows\\system32\\')
                      OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), 'c:\\windows\\syswow64\\')
                      OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), 'c:\\windows\\')
                      OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), 'c:\\program files\\')
                      OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), 'c:\\program files (x86)\\')
                      OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '%systemroot%\\')
                      OR STARTSWITH(REPLACE(LOWER(`t48`.`image`), '/', '\\'), '\\systemroot\\')
                    )
                  ),
                  FALSE
                )
              )
          ) AS `t55`
          INNER JOIN (
            SELECT
              `t2`.`host` AS `e_host`,
              `t2`.`pid` AS `e_pid`,
              `t2`.`process_guid` AS `e_guid`,
              `t2`.`time_us` AS `e_time`,
              `t2`.`channel` AS `e_channel`,
              `t2`.`record_id` AS `e_record`
            FROM `process_end` AS `t2`
          ) AS `t16`
            ON `t55`.`host` = `t16`.`e_host`
            AND `t55`.`pid` = `t16`.`e_pid`
            AND (
              (
                `t55`.`process_guid` IS NULL
              )
              OR (
                `t16`.`e_guid` IS NULL
              )
              OR (
                `t55`.`process_guid` = `t16`.`e_guid`
              )
            )
            AND `t16`.`e_time` >= `t55`.`time_us`
        ) AS `t58`
        WHERE
          (
            (
              `t58`.`e_channel` = `t58`.`c_channel`
            )
            AND (
              NOT `t58`.`e_record` IS NULL
            )
            AND (
              NOT `t58`.`c_record` IS NULL
            )
            AND (
              `t58`.`e_record` < `t58`.`c_record`
            )
          )
          OR (
            NOT (
              (
                `t58`.`e_channel` = `t58`.`c_channel`
              )
              AND (
                NOT `t58`.`e_record` IS NULL
              )
              AND (
                NOT `t58`.`c_record` IS NULL
              )
            )
            AND (
              (
                `t58`.`e_time` - IF(CONTAINS(LOWER(`t58`.`e_channel`), 'sysmon'), `t58`.`c_skew`, 0)
              ) < (
                `t58`.`c_sec` - `t58`.`c_tol`
              )
            )
          )
      ) AS `t60`
        ON `t55`.`creation_key` = `t60`.`d_creation` AND `t55`.`event_key` = `t60`.`d_key`
    ) AS `t61`
  ) AS `t62`
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      `t56`.`creation_key`,
      `t56`.`c_time`,
      `t56`.`event_key`,
      `t56`.`host`,
      `t56`.`host_name`,
      `t56`.`time_us`,
      `t56`.`record_id`,
      `t56`.`event_id`,
      `t56`.`channel`,
      `t56`.`file`,
      `t56`.`sha256`,
      `t56`.`pid`,
      `t56`.`parent_pid`,
      `t56`.`logon_id`,
      `t56`.`image`,
      `t56`.`command_line`,
      `t56`.`parent_image`,
      `t56`.`parent_command_line`,
      `t56`.`process_guid`,
      `t56`.`parent_process_guid`,
      `t56`.`user_sid`,
      `t56`.`user_name`,
      `t56`.`user_domain`,
      `t56`.`integrity`,
      `t56`.`telemetry`,
      `t56`.`surely_before`,
      `t56`.`in_window`
    FROM (
      SELECT
        `t50`.`creation_key`,
        `t50`.`c_host`,
        `t50`.`c_time`,
        `t50`.`c_logon`,
        `t50`.`c_channel`,
        `t50`.`c_record`,
        `t50`.`c_name`,
        `t50`.`c_skew`,
        `t50`.`c_tol`,
        `t50`.`c_sec`,
        `t50`.`event_key`,
        `t50`.`host`,
        `t50`.`host_name`,
        `t50`.`time_us`,
        `t50`.`record_id`,
        `t50`.`event_id`,
        `t50`.`channel`,
        `t50`.`file`,
        `t50`.`sha256`,
        `t50`.`pid`,
        `t50`.`parent_pid`,
        `t50`.`logon_id`,
        `t50`.`image`,
        `t50`.`command_line`,
        `t50`.`parent_image`,
        `t50`.`parent_command_line`,
        `t50`.`process_guid`,
        `t50`.`parent_process_guid`,
        `t50`.`user_sid`,
        `t50`.`user_name`,
        `t50`.`user_domain`,
        `t50`.`integrity`,
        `t50`.`telemetry`,
        `t50`.`surely_before`,
        `t50`.`in_window`
      FROM (
        SELECT
          `t45`.`creation_key`,
          `t45`.`c_host`,
          `t45`.`c_time`,
          `t45`.`c_logon`,
          `t45`.`c_channel`,
          `t45`.`c_record`,
          `t45`.`c_name`,
          `t45`.`c_skew`,
          `t45`.`c_tol`,
          `t45`.`c_sec`,
          `t45`.`event_key`,
          `t45`.`host`,
          `t45`.`host_name`,
          `t45`.`time_us`,
          `t45`.`record_id`,
          `t45`.`event_id`,
          `t45`.`channel`,
          `t45`.`file`,
          `t45`.`sha256`,
          `t45`.`pid`,
          `t45`.`parent_pid`,
          `t45`.`logon_id`,
          `t45`.`image`,
          `t45`.`command_line`,
          `t45`.`parent_image`,
          `t45`.`parent_command_line`,
          `t45`.`process_guid`,
          `t45`.`parent_process_guid`,
          `t45`.`user_sid`,
          `t45`.`user_name`,
          `t45`.`user_domain`,
          `t45`.`integrity`,
          `t45`.`telemetry`,
          (
            (
              `t45`.`channel` = `t45`.`c_channel`
            )
            AND (
              NOT `t45`.`record_id` IS NULL
            )
            AND (
              NOT `t45`.`c_record` IS NULL
            )
            AND (
              `t45`.`record_id` < `t45`.`c_record`
            )
          )
          OR (
            NOT (
              (
                `t45`.`channel` = `t45`.`c_channel`
              )
              AND (
                NOT `t45`.`record_id` IS NULL
              )
              AND (
                NOT `t45`.`c_record` IS NULL
              )
            )
            AND (
              (
                `t45`.`time_us` - IF(CONTAINS(LOWER(`t45`.`channel`), 'sysmon'), `t45`.`c_skew`, 0)
              ) < (
                `t45`.`c_sec` - `t45`.`c_tol`
              )
            )
          ) AS `surely_before`,
          (
            `t45`.`time_us` - IF(CONTAINS(LOWER(`t45`.`channel`), 'sysmon'), `t45`.`c_skew`, 0)
          ) >= (
            `t45`.`c_sec` - 120000000
          ) AS `in_window`
        FROM (
          SELECT
            `t43`.`creation_key`,
            `t43`.`c_host`,
            `t43`.`c_time`,
            `t43`.`c_logon`,
            `t43`.`c_channel`,
            `t43`.`c_record`,
            `t43`.`c_name`,
            `t43`.`c_skew`,
            `t43`.`c_tol`,
            `t43`.`c_sec`,
            `t4`.`event_key`,
            `t4`.`host`,
            `t4`.`host_name`,
            `t4`.`time_us`,
            `t4`.`record_id`,
            `t4`.`event_id`,
            `t4`.`channel`,
            `t4`.`file`,
            `t4`.`sha256`,
            `t4`.`pid`,
            `t4`.`parent_pid`,
            `t4`.`logon_id`,
            `t4`.`image`,
            `t4`.`command_line`,
            `t4`.`parent_image`,
            `t4`.`parent_command_line`,
            `t4`.`process_guid`,
            `t4`.`parent_process_guid`,
            `t4`.`user_sid`,
            `t4`.`user_name`,
            `t4`.`user_domain`,
            `t4`.`integrity`,
            `t4`.`telemetry`
          FROM (
            SELECT
              `t41`.`creation_key`,
              `t41`.`c_host`,
              `t41`.`c_time`,
              `t41`.`c_logon`,
              `t41`.`c_channel`,
              `t41`.`c_record`,
              `t41`.`c_name`,
              COALESCE(`t41`.`k_skew`, 0) AS `c_skew`,
              COALESCE(`t41`.`k_tol`, 5000000) AS `c_tol`,
              `t41`.`c_time` - IF(CONTAINS(LOWER(`t41`.`c_channel`), 'sysmon'), COALESCE(`t41`.`k_skew`, 0), 0) AS `c_sec`
            FROM (
              SELECT
                `t17`.`creation_key`,
                `t17`.`c_host`,
                `t17`.`c_time`,
                `t17`.`c_logon`,
                `t17`.`c_channel`,
                `t17`.`c_record`,
                `t17`.`c_name`,
                `t39`.`k_host`,
                `t39`.`k_skew`,
                `t39`.`k_tol`
              FROM (
                SELECT
                  `t0`.`event_key` AS `creation_key`,
                  `t0`.`host` AS `c_host`,
                  `t0`.`time_us` AS `c_time`,
                  `t0`.`creator_logon_id` AS `c_logon`,
                  `t0`.`channel` AS `c_channel`,
                  `t0`.`record_id` AS `c_record`,
                  LOWER(`t0`.`account_name`) AS `c_name`
                FROM `acctrace_an1604_creation` AS `t0`
              ) AS `t17`
              LEFT OUTER JOIN (
                SELECT
                  `t34`.`host` AS `k_host`,
                  IF(`t34`.`pairs` >= 3, `t34`.`median_us`, 0) AS `k_skew`,
                  IF(
                    `t34`.`pairs` >= 3,
                    LEAST((
                      `t34`.`high_us` - `t34`.`low_us`
                    ) + 10000, 5000000),
                    5000000
                  ) AS `k_tol`
                FROM (
                  SELECT
                    `t32`.`host`,
                    COUNT(*) AS `pairs`,
                    CAST(PERCENTILE_APPROX(`t32`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                    MIN(`t32`.`delta_us`) AS `low_us`,
                    MAX(`t32`.`delta_us`) AS `high_us`
                  FROM (
                    SELECT
                      `t31`.`host`,
                      `t31`.`delta_us`
                    FROM (
                      SELECT
                        `t28`.`event_key`,
                        `t28`.`host`,
                        `t28`.`host_name`,
                        `t28`.`time_us`,
                        `t28`.`record_id`,
                        `t28`.`event_id`,
                        `t28`.`channel`,
                        `t28`.`file`,
                        `t28`.`sha256`,
                        `t28`.`pid`,
                        `t28`.`parent_pid`,
                        `t28`.`logon_id`,
                        `t28`.`image`,
                        `t28`.`command_line`,
                        `t28`.`parent_image`,
                        `t28`.`parent_command_line`,
                        `t28`.`process_guid`,
                        `t28`.`parent_process_guid`,
                        `t28`.`user_sid`,
                        `t28`.`user_name`,
                        `t28`.`user_domain`,
                        `t28`.`integrity`,
                        `t28`.`telemetry`,
                        `t28`.`p_host`,
                        `t28`.`p_pid`,
                        `t28`.`p_image`,
                        `t28`.`p_time`,
                        `t28`.`p_key`,
                        `t28`.`delta_us`,
                        ROW_NUMBER() OVER (
                          PARTITION BY `t28`.`event_key`
                          ORDER BY ABS(`t28`.`delta_us`) ASC NULLS LAST, `t28`.`p_key` ASC NULLS LAST
                        ) - 1 AS `_rank`
                      FROM (
                        SELECT
                          `t25`.`event_key`,
                          `t25`.`host`,
                          `t25`.`host_name`,
                          `t25`.`time_us`,
                          `t25`.`record_id`,
                          `t25`.`event_id`,
                          `t25`.`channel`,
                          `t25`.`file`,
                          `t25`.`sha256`,
                          `t25`.`pid`,
                          `t25`.`parent_pid`,
                          `t25`.`logon_id`,
                          `t25`.`image`,
                          `t25`.`command_line`,
                          `t25`.`parent_image`,
                          `t25`.`parent_command_line`,
                          `t25`.`process_guid`,
                          `t25`.`parent_process_guid`,
                          `t25`.`user_sid`,
                          `t25`.`user_name`,
                          `t25`.`user_domain`,
                          `t25`.`integrity`,
                          `t25`.`telemetry`,
                          `t25`.`p_host`,
                          `t25`.`p_pid`,
                          `t25`.`p_image`,
                          `t25`.`p_time`,
                          `t25`.`p_key`,
                          `t25`.`time_us` - `t25`.`p_time` AS `delta_us`
                        FROM (
                          SELECT
                            `t19`.`event_key`,
                            `t19`.`host`,
                            `t19`.`host_name`,
                            `t19`.`time_us`,
                            `t19`.`record_id`,
                            `t19`.`event_id`,
                            `t19`.`channel`,
                            `t19`.`file`,
                            `t19`.`sha256`,
                            `t19`.`pid`,
                            `t19`.`parent_pid`,
                            `t19`.`logon_id`,
                            `t19`.`image`,
                            `t19`.`command_line`,
                            `t19`.`parent_image`,
                            `t19`.`parent_command_line`,
                            `t19`.`process_guid`,
                            `t19`.`parent_process_guid`,
                            `t19`.`user_sid`,
                            `t19`.`user_name`,
                            `t19`.`user_domain`,
                            `t19`.`integrity`,
                            `t19`.`telemetry`,
                            `t20`.`p_host`,
                            `t20`.`p_pid`,
                            `t20`.`p_image`,
                            `t20`.`p_time`,
                            `t20`.`p_key`
                          FROM (
                            SELECT
                              `t1`.`event_key`,
                              `t1`.`host`,
                              `t1`.`host_name`,
                              `t1`.`time_us`,
                              `t1`.`record_id`,
                              `t1`.`event_id`,
                              `t1`.`channel`,
                              `t1`.`file`,
                              `t1`.`sha256`,
                              `t1`.`pid`,
                              `t1`.`parent_pid`,
                              `t1`.`logon_id`,
                              `t1`.`image`,
                              `t1`.`command_line`,
                              `t1`.`parent_image`,
                              `t1`.`parent_command_line`,
                              `t1`.`process_guid`,
                              `t1`.`parent_process_guid`,
                              `t1`.`user_sid`,
                              `t1`.`user_name`,
                              `t1`.`user_domain`,
                              `t1`.`integrity`,
                              `t1`.`telemetry`
                            FROM `process` AS `t1`
                            WHERE
                              `t1`.`telemetry` = 'sysmon-1'
                          ) AS `t19`
                          INNER JOIN (
                            SELECT
                              `t1`.`host` AS `p_host`,
                              `t1`.`pid` AS `p_pid`,
                              LOWER(`t1`.`image`) AS `p_image`,
                              `t1`.`time_us` AS `p_time`,
                              `t1`.`event_key` AS `p_key`
                            FROM `process` AS `t1`
                            WHERE
                              `t1`.`telemetry` = 'security-4688'
                          ) AS `t20`
                            ON `t19`.`host` = `t20`.`p_host`
                            AND `t19`.`pid` = `t20`.`p_pid`
                            AND LOWER(`t19`.`image`) = `t20`.`p_image`
                            AND ABS(`t19`.`time_us` - `t20`.`p_time`) <= 60000000
                        ) AS `t25`
                      ) AS `t28`
                    ) AS `t31`
                    WHERE
                      `t31`.`_rank` = 0
                  ) AS `t32`
                  GROUP BY
                    1
                ) AS `t34`
              ) AS `t39`
                ON `t17`.`c_host` = `t39`.`k_host`
            ) AS `t41`
          ) AS `t43`
          INNER JOIN `process` AS `t4`
            ON `t43`.`c_host` = `t4`.`host`
            AND `t43`.`c_logon` IS NULL
            AND `t4`.`time_us` >= (
              (
                `t43`.`c_time` - 120000000
              ) - (
                ABS(`t43`.`c_skew`) + `t43`.`c_tol`
              )
            )
            AND `t4`.`time_us` <= (
              `t43`.`c_time` + (
                ABS(`t43`.`c_skew`) + `t43`.`c_tol`
              )
            )
            AND CONTAINS(LOWER(`t4`.`command_line`), `t43`.`c_name`)
        ) AS `t45`
        WHERE
          (
            (
              (
                `t45`.`channel` = `t45`.`c_channel`
              )
              AND (
                NOT `t45`.`record_id` IS NULL
              )
              AND (
                NOT `t45`.`c_record` IS NULL
              )
              AND (
                `t45`.`record_id` < `t45`.`c_record`
              )
            )
            OR (
              NOT (
                (
                  `t45`.`channel` = `t45`.`c_channel`
                )
                AND (
                  NOT `t45`.`record_id` IS NULL
                )
                AND (
                  NOT `t45`.`c_record` IS NULL
                )
              )
              AND (
                (
                  `t45`.`time_us` - IF(CONTAINS(LOWER(`t45`.`channel`), 'sysmon'), `t45`.`c_skew`, 0)
                ) <= (
                  `t45`.`c_sec` + `t45`.`c_tol`
                )
              )
            )
          )
          AND (
            `t45`.`time_us` - IF(CONTAINS(LOWER(`t45`.`channel`), 'sysmon'), `t45`.`c_skew`, 0)
          ) >= (
            `t45`.`c_sec` - 120000000
          )
      ) AS `t50`
      LEFT ANTI JOIN (
        SELECT DISTINCT
          `t51`.`creation_key` AS `d_creation`,
          `t51`.`event_key` AS `d_key`
        FROM (
          SELECT
            `t50`.`creation_key`,
            `t50`.`c_host`,
            `t50`.`c_time`,
            `t50`.`c_logon`,
            `t50`.`c_channel`,
            `t50`.`c_record`,
            `t50`.`c_name`,
            `t50`.`c_skew`,
            `t50`.`c_tol`,
            `t50`.`c_sec`,
            `t50`.`event_key`,
            `t50`.`host`,
            `t50`.`host_name`,
            `t50`.`time_us`,
            `t50`.`record_id`,
            `t50`.`event_id`,
            `t50`.`channel`,
            `t50`.`file`,
            `t50`.`sha256`,
            `t50`.`pid`,
            `t50`.`parent_pid`,
            `t50`.`logon_id`,
            `t50`.`image`,
            `t50`.`command_line`,
            `t50`.`parent_image`,
            `t50`.`parent_command_line`,
            `t50`.`process_guid`,
            `t50`.`parent_process_guid`,
            `t50`.`user_sid`,
            `t50`.`user_name`,
            `t50`.`user_domain`,
            `t50`.`integrity`,
            `t50`.`telemetry`,
            `t50`.`surely_before`,
            `t50`.`in_window`,
            `t16`.`e_host`,
            `t16`.`e_pid`,
            `t16`.`e_guid`,
            `t16`.`e_time`,
            `t16`.`e_channel`,
            `t16`.`e_record`
          FROM (
            SELECT
              `t45`.`creation_key`,
              `t45`.`c_host`,
              `t45`.`c_time`,
              `t45`.`c_logon`,
              `t45`.`c_channel`,
              `t45`.`c_record`,
              `t45`.`c_name`,
              `t45`.`c_skew`,
              `t45`.`c_tol`,
              `t45`.`c_sec`,
              `t45`.`event_key`,
              `t45`.`host`,
              `t45`.`host_name`,
              `t45`.`time_us`,
              `t45`.`record_id`,
              `t45`.`event_id`,
              `t45`.`channel`,
              `t45`.`file`,
              `t45`.`sha256`,
              `t45`.`pid`,
              `t45`.`parent_pid`,
              `t45`.`logon_id`,
              `t45`.`image`,
              `t45`.`command_line`,
              `t45`.`parent_image`,
              `t45`.`parent_command_line`,
              `t45`.`process_guid`,
              `t45`.`parent_process_guid`,
              `t45`.`user_sid`,
              `t45`.`user_name`,
              `t45`.`user_domain`,
              `t45`.`integrity`,
              `t45`.`telemetry`,
              (
                (
                  `t45`.`channel` = `t45`.`c_channel`
                )
                AND (
                  NOT `t45`.`record_id` IS NULL
                )
                AND (
                  NOT `t45`.`c_record` IS NULL
                )
                AND (
                  `t45`.`record_id` < `t45`.`c_record`
                )
              )
              OR (
                NOT (
                  (
                    `t45`.`channel` = `t45`.`c_channel`
                  )
                  AND (
                    NOT `t45`.`record_id` IS NULL
                  )
                  AND (
                    NOT `t45`.`c_record` IS NULL
                  )
                )
                AND (
                  (
                    `t45`.`time_us` - IF(CONTAINS(LOWER(`t45`.`channel`), 'sysmon'), `t45`.`c_skew`, 0)
                  ) < (
                    `t45`.`c_sec` - `t45`.`c_tol`
                  )
                )
              ) AS `surely_before`,
              (
                `t45`.`time_us` - IF(CONTAINS(LOWER(`t45`.`channel`), 'sysmon'), `t45`.`c_skew`, 0)
              ) >= (
                `t45`.`c_sec` - 120000000
              ) AS `in_window`
            FROM (
              SELECT
                `t43`.`creation_key`,
                `t43`.`c_host`,
                `t43`.`c_time`,
                `t43`.`c_logon`,
                `t43`.`c_channel`,
                `t43`.`c_record`,
                `t43`.`c_name`,
                `t43`.`c_skew`,
                `t43`.`c_tol`,
                `t43`.`c_sec`,
                `t4`.`event_key`,
                `t4`.`host`,
                `t4`.`host_name`,
                `t4`.`time_us`,
                `t4`.`record_id`,
                `t4`.`event_id`,
                `t4`.`channel`,
                `t4`.`file`,
                `t4`.`sha256`,
                `t4`.`pid`,
                `t4`.`parent_pid`,
                `t4`.`logon_id`,
                `t4`.`image`,
                `t4`.`command_line`,
                `t4`.`parent_image`,
                `t4`.`parent_command_line`,
                `t4`.`process_guid`,
                `t4`.`parent_process_guid`,
                `t4`.`user_sid`,
                `t4`.`user_name`,
                `t4`.`user_domain`,
                `t4`.`integrity`,
                `t4`.`telemetry`
              FROM (
                SELECT
                  `t41`.`creation_key`,
                  `t41`.`c_host`,
                  `t41`.`c_time`,
                  `t41`.`c_logon`,
                  `t41`.`c_channel`,
                  `t41`.`c_record`,
                  `t41`.`c_name`,
                  COALESCE(`t41`.`k_skew`, 0) AS `c_skew`,
                  COALESCE(`t41`.`k_tol`, 5000000) AS `c_tol`,
                  `t41`.`c_time` - IF(CONTAINS(LOWER(`t41`.`c_channel`), 'sysmon'), COALESCE(`t41`.`k_skew`, 0), 0) AS `c_sec`
                FROM (
                  SELECT
                    `t17`.`creation_key`,
                    `t17`.`c_host`,
                    `t17`.`c_time`,
                    `t17`.`c_logon`,
                    `t17`.`c_channel`,
                    `t17`.`c_record`,
                    `t17`.`c_name`,
                    `t39`.`k_host`,
                    `t39`.`k_skew`,
                    `t39`.`k_tol`
                  FROM (
                    SELECT
                      `t0`.`event_key` AS `creation_key`,
                      `t0`.`host` AS `c_host`,
                      `t0`.`time_us` AS `c_time`,
                      `t0`.`creator_logon_id` AS `c_logon`,
                      `t0`.`channel` AS `c_channel`,
                      `t0`.`record_id` AS `c_record`,
                      LOWER(`t0`.`account_name`) AS `c_name`
                    FROM `acctrace_an1604_creation` AS `t0`
                  ) AS `t17`
                  LEFT OUTER JOIN (
                    SELECT
                      `t34`.`host` AS `k_host`,
                      IF(`t34`.`pairs` >= 3, `t34`.`median_us`, 0) AS `k_skew`,
                      IF(
                        `t34`.`pairs` >= 3,
                        LEAST((
                          `t34`.`high_us` - `t34`.`low_us`
                        ) + 10000, 5000000),
                        5000000
                      ) AS `k_tol`
                    FROM (
                      SELECT
                        `t32`.`host`,
                        COUNT(*) AS `pairs`,
                        CAST(PERCENTILE_APPROX(`t32`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                        MIN(`t32`.`delta_us`) AS `low_us`,
                        MAX(`t32`.`delta_us`) AS `high_us`
                      FROM (
                        SELECT
                          `t31`.`host`,
                          `t31`.`delta_us`
                        FROM (
                          SELECT
                            `t28`.`event_key`,
                            `t28`.`host`,
                            `t28`.`host_name`,
                            `t28`.`time_us`,
                            `t28`.`record_id`,
                            `t28`.`event_id`,
                            `t28`.`channel`,
                            `t28`.`file`,
                            `t28`.`sha256`,
                            `t28`.`pid`,
                            `t28`.`parent_pid`,
                            `t28`.`logon_id`,
                            `t28`.`image`,
                            `t28`.`command_line`,
                            `t28`.`parent_image`,
                            `t28`.`parent_command_line`,
                            `t28`.`process_guid`,
                            `t28`.`parent_process_guid`,
                            `t28`.`user_sid`,
                            `t28`.`user_name`,
                            `t28`.`user_domain`,
                            `t28`.`integrity`,
                            `t28`.`telemetry`,
                            `t28`.`p_host`,
                            `t28`.`p_pid`,
                            `t28`.`p_image`,
                            `t28`.`p_time`,
                            `t28`.`p_key`,
                            `t28`.`delta_us`,
                            ROW_NUMBER() OVER (
                              PARTITION BY `t28`.`event_key`
                              ORDER BY ABS(`t28`.`delta_us`) ASC NULLS LAST, `t28`.`p_key` ASC NULLS LAST
                            ) - 1 AS `_rank`
                          FROM (
                            SELECT
                              `t25`.`event_key`,
                              `t25`.`host`,
                              `t25`.`host_name`,
                              `t25`.`time_us`,
                              `t25`.`record_id`,
                              `t25`.`event_id`,
                              `t25`.`channel`,
                              `t25`.`file`,
                              `t25`.`sha256`,
                              `t25`.`pid`,
                              `t25`.`parent_pid`,
                              `t25`.`logon_id`,
                              `t25`.`image`,
                              `t25`.`command_line`,
                              `t25`.`parent_image`,
                              `t25`.`parent_command_line`,
                              `t25`.`process_guid`,
                              `t25`.`parent_process_guid`,
                              `t25`.`user_sid`,
                              `t25`.`user_name`,
                              `t25`.`user_domain`,
                              `t25`.`integrity`,
                              `t25`.`telemetry`,
                              `t25`.`p_host`,
                              `t25`.`p_pid`,
                              `t25`.`p_image`,
                              `t25`.`p_time`,
                              `t25`.`p_key`,
                              `t25`.`time_us` - `t25`.`p_time` AS `delta_us`
                            FROM (
                              SELECT
                                `t19`.`event_key`,
                                `t19`.`host`,
                                `t19`.`host_name`,
                                `t19`.`time_us`,
                                `t19`.`record_id`,
                                `t19`.`event_id`,
                                `t19`.`channel`,
                                `t19`.`file`,
                                `t19`.`sha256`,
                                `t19`.`pid`,
                                `t19`.`parent_pid`,
                                `t19`.`logon_id`,
                                `t19`.`image`,
                                `t19`.`command_line`,
                                `t19`.`parent_image`,
                                `t19`.`parent_command_line`,
                                `t19`.`process_guid`,
                                `t19`.`parent_process_guid`,
                                `t19`.`user_sid`,
                                `t19`.`user_name`,
                                `t19`.`user_domain`,
                                `t19`.`integrity`,
                                `t19`.`telemetry`,
                                `t20`.`p_host`,
                                `t20`.`p_pid`,
                                `t20`.`p_image`,
                                `t20`.`p_time`,
                                `t20`.`p_key`
                              FROM (
                                SELECT
                                  `t1`.`event_key`,
                                  `t1`.`host`,
                                  `t1`.`host_name`,
                                  `t1`.`time_us`,
                                  `t1`.`record_id`,
                                  `t1`.`event_id`,
                                  `t1`.`channel`,
                                  `t1`.`file`,
                                  `t1`.`sha256`,
                                  `t1`.`pid`,
                                  `t1`.`parent_pid`,
                                  `t1`.`logon_id`,
                                  `t1`.`image`,
                                  `t1`.`command_line`,
                                  `t1`.`parent_image`,
                                  `t1`.`parent_command_line`,
                                  `t1`.`process_guid`,
                                  `t1`.`parent_process_guid`,
                                  `t1`.`user_sid`,
                                  `t1`.`user_name`,
                                  `t1`.`user_domain`,
                                  `t1`.`integrity`,
                                  `t1`.`telemetry`
                                FROM `process` AS `t1`
                                WHERE
                                  `t1`.`telemetry` = 'sysmon-1'
                              ) AS `t19`
                              INNER JOIN (
                                SELECT
                                  `t1`.`host` AS `p_host`,
                                  `t1`.`pid` AS `p_pid`,
                                  LOWER(`t1`.`image`) AS `p_image`,
                                  `t1`.`time_us` AS `p_time`,
                                  `t1`.`event_key` AS `p_key`
                                FROM `process` AS `t1`
                                WHERE
                                  `t1`.`telemetry` = 'security-4688'
                              ) AS `t20`
                                ON `t19`.`host` = `t20`.`p_host`
                                AND `t19`.`pid` = `t20`.`p_pid`
                                AND LOWER(`t19`.`image`) = `t20`.`p_image`
                                AND ABS(`t19`.`time_us` - `t20`.`p_time`) <= 60000000
                            ) AS `t25`
                          ) AS `t28`
                        ) AS `t31`
                        WHERE
                          `t31`.`_rank` = 0
                      ) AS `t32`
                      GROUP BY
                        1
                    ) AS `t34`
                  ) AS `t39`
                    ON `t17`.`c_host` = `t39`.`k_host`
                ) AS `t41`
              ) AS `t43`
              INNER JOIN `process` AS `t4`
                ON `t43`.`c_host` = `t4`.`host`
                AND `t43`.`c_logon` IS NULL
                AND `t4`.`time_us` >= (
                  (
                    `t43`.`c_time` - 120000000
                  ) - (
                    ABS(`t43`.`c_skew`) + `t43`.`c_tol`
                  )
                )
                AND `t4`.`time_us` <= (
                  `t43`.`c_time` + (
                    ABS(`t43`.`c_skew`) + `t43`.`c_tol`
                  )
                )
                AND CONTAINS(LOWER(`t4`.`command_line`), `t43`.`c_name`)
            ) AS `t45`
            WHERE
              (
                (
                  (
                    `t45`.`channel` = `t45`.`c_channel`
                  )
                  AND (
                    NOT `t45`.`record_id` IS NULL
                  )
                  AND (
                    NOT `t45`.`c_record` IS NULL
                  )
                  AND (
                    `t45`.`record_id` < `t45`.`c_record`
                  )
                )
                OR (
                  NOT (
                    (
                      `t45`.`channel` = `t45`.`c_channel`
                    )
                    AND (
                      NOT `t45`.`record_id` IS NULL
                    )
                    AND (
                      NOT `t45`.`c_record` IS NULL
                    )
                  )
                  AND (
                    (
                      `t45`.`time_us` - IF(CONTAINS(LOWER(`t45`.`channel`), 'sysmon'), `t45`.`c_skew`, 0)
                    ) <= (
                      `t45`.`c_sec` + `t45`.`c_tol`
                    )
                  )
                )
              )
              AND (
                `t45`.`time_us` - IF(CONTAINS(LOWER(`t45`.`channel`), 'sysmon'), `t45`.`c_skew`, 0)
              ) >= (
                `t45`.`c_sec` - 120000000
              )
          ) AS `t50`
          INNER JOIN (
            SELECT
              `t2`.`host` AS `e_host`,
              `t2`.`pid` AS `e_pid`,
              `t2`.`process_guid` AS `e_guid`,
              `t2`.`time_us` AS `e_time`,
              `t2`.`channel` AS `e_channel`,
              `t2`.`record_id` AS `e_record`
            FROM `process_end` AS `t2`
          ) AS `t16`
            ON `t50`.`host` = `t16`.`e_host`
            AND `t50`.`pid` = `t16`.`e_pid`
            AND (
              (
                `t50`.`process_guid` IS NULL
              )
              OR (
                `t16`.`e_guid` IS NULL
              )
              OR (
                `t50`.`process_guid` = `t16`.`e_guid`
              )
            )
            AND `t16`.`e_time` >= `t50`.`time_us`
        ) AS `t51`
        WHERE
          (
            (
              `t51`.`e_channel` = `t51`.`c_channel`
            )
            AND (
              NOT `t51`.`e_record` IS NULL
            )
            AND (
              NOT `t51`.`c_record` IS NULL
            )
            AND (
              `t51`.`e_record` < `t51`.`c_record`
            )
          )
          OR (
            NOT (
              (
                `t51`.`e_channel` = `t51`.`c_channel`
              )
              AND (
                NOT `t51`.`e_record` IS NULL
              )
              AND (
                NOT `t51`.`c_record` IS NULL
              )
            )
            AND (
              (
                `t51`.`e_time` - IF(CONTAINS(LOWER(`t51`.`e_channel`), 'sysmon'), `t51`.`c_skew`, 0)
              ) < (
                `t51`.`c_sec` - `t51`.`c_tol`
              )
            )
          )
      ) AS `t53`
        ON `t50`.`creation_key` = `t53`.`d_creation` AND `t50`.`event_key` = `t53`.`d_key`
    ) AS `t56`
  ) AS `t57`
)
SELECT
  `t83`.`creation_key`,
  `t83`.`creation_time_us`,
  `t83`.`host`,
  `t83`.`host_name`,
  `t83`.`account_sid`,
  `t83`.`account_name`,
  `t83`.`account_domain`,
  `t83`.`creator_sid`,
  `t83`.`creator_name`,
  `t83`.`creator_domain`,
  `t83`.`creator_logon_id`,
  `t83`.`process_key`,
  `t83`.`process_time_us`,
  `t83`.`telemetry`,
  `t83`.`in_window`,
  `t83`.`pid`,
  `t83`.`parent_pid`,
  `t83`.`logon_id`,
  `t83`.`image`,
  `t83`.`command_line`,
  `t83`.`parent_key`,
  `t83`.`parent_image`,
  IF(
    TRUE
    AND (
      FALSE
      OR (
        TRUE
        AND COALESCE(LOWER(`t83`.`creator_domain`) RLIKE '^corp$', FALSE)
        AND COALESCE(LOWER(`t83`.`creator_name`) RLIKE '^svc\\-provision$', FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(LOWER(`t83`.`host_name`) RLIKE '^dc.*$', FALSE)
      )
      OR (
        TRUE AND COALESCE(LOWER(`t83`.`host_name`) RLIKE '^dc.*\\..*$', FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(LOWER(`t83`.`image`) RLIKE '^powershell\\.exe$', FALSE)
      )
      OR (
        TRUE AND COALESCE(LOWER(`t83`.`image`) RLIKE '^.*\\\\powershell\\.exe$', FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(LOWER(`t83`.`account_name`) RLIKE '^[a-z].*$', FALSE)
      )
    )
    AND (
      `t83`.`creation_time_us` >= 1704067200000000
    ),
    'hr-onboarding-feed',
    IF(
      TRUE
      AND (
        FALSE
        OR (
          TRUE
          AND COALESCE(LOWER(`t83`.`creator_domain`) RLIKE '^corp$', FALSE)
          AND COALESCE(LOWER(`t83`.`creator_name`) RLIKE '^helpdesk1$', FALSE)
        )
        OR (
          TRUE
          AND COALESCE(LOWER(`t83`.`creator_domain`) RLIKE '^corp$', FALSE)
          AND COALESCE(LOWER(`t83`.`creator_name`) RLIKE '^helpdesk2$', FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(LOWER(`t83`.`host_name`) RLIKE '^dc.*$', FALSE)
        )
        OR (
          TRUE AND COALESCE(LOWER(`t83`.`host_name`) RLIKE '^dc.*\\..*$', FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(LOWER(`t83`.`image`) RLIKE '^mmc\\.exe$', FALSE)
        )
        OR (
          TRUE AND COALESCE(LOWER(`t83`.`image`) RLIKE '^.*\\\\mmc\\.exe$', FALSE)
        )
      ),
      'helpdesk-aduc',
      CAST(NULL AS STRING)
    )
  ) AS `approved_by`
FROM (
  SELECT
    `t65`.`creation_key`,
    `t65`.`c_time` AS `creation_time_us`,
    `t65`.`host`,
    `t65`.`host_name`,
    `t10`.`account_sid`,
    `t10`.`account_name`,
    `t10`.`account_domain`,
    `t10`.`creator_sid`,
    `t10`.`creator_name`,
    `t10`.`creator_domain`,
    `t10`.`creator_logon_id`,
    `t65`.`event_key` AS `process_key`,
    `t65`.`time_us` AS `process_time_us`,
    `t65`.`telemetry`,
    `t65`.`in_window`,
    `t65`.`pid`,
    `t65`.`parent_pid`,
    `t65`.`logon_id`,
    `t65`.`image`,
    `t65`.`command_line`,
    `t82`.`parent_key`,
    COALESCE(`t82`.`p_image`, `t65`.`parent_image`) AS `parent_image`
  FROM `t63` AS `t65`
  LEFT OUTER JOIN (
    SELECT
      `t80`.`lineage_of` AS `p_of`,
      `t80`.`event_key` AS `parent_key`,
      `t80`.`image` AS `p_image`
    FROM (
      SELECT
        `t67`.`lineage_of`,
        `t67`.`child_key`,
        `t67`.`child_host`,
        `t67`.`child_time`,
        `t67`.`child_parent_pid`,
        `t67`.`child_parent_guid`,
        `t67`.`child_parent_image`,
        `t67`.`depth`,
        `t79`.`b_of`,
        `t79`.`b_child`,
        `t79`.`b_key`,
        `t3`.`event_key`,
        `t3`.`host`,
        `t3`.`host_name`,
        `t3`.`time_us`,
        `t3`.`record_id`,
        `t3`.`event_id`,
        `t3`.`channel`,
        `t3`.`file`,
        `t3`.`sha256`,
        `t3`.`pid`,
        `t3`.`parent_pid`,
        `t3`.`logon_id`,
        `t3`.`image`,
        `t3`.`command_line`,
        `t3`.`parent_image`,
        `t3`.`parent_command_line`,
        `t3`.`process_guid`,
        `t3`.`parent_process_guid`,
        `t3`.`user_sid`,
        `t3`.`user_name`,
        `t3`.`user_domain`,
        `t3`.`integrity`,
        `t3`.`telemetry`
      FROM (
        SELECT DISTINCT
          `t64`.`event_key` AS `lineage_of`,
          `t64`.`event_key` AS `child_key`,
          `t64`.`host` AS `child_host`,
          `t64`.`time_us` AS `child_time`,
          `t64`.`parent_pid` AS `child_parent_pid`,
          `t64`.`parent_process_guid` AS `child_parent_guid`,
          `t64`.`parent_image` AS `child_parent_image`,
          0 AS `depth`
        FROM `t63` AS `t64`
      ) AS `t67`
      INNER JOIN (
        SELECT
          `t77`.`lineage_of` AS `b_of`,
          `t77`.`child_key` AS `b_child`,
          `t77`.`k_key` AS `b_key`
        FROM (
          SELECT
            `t76`.`lineage_of`,
            `t76`.`child_key`,
            `t76`.`k_key`,
            `t76`.`k_time`,
            `t76`.`_by`,
            ROW_NUMBER() OVER (
              PARTITION BY `t76`.`lineage_of`, `t76`.`child_key`
              ORDER BY `t76`.`_by` ASC NULLS LAST, `t76`.`k_time` DESC, `t76`.`k_key` ASC NULLS LAST
            ) - 1 AS `_rank`
          FROM (
            SELECT
              *
            FROM (
              SELECT
                `t67`.`lineage_of`,
                `t67`.`child_key`,
                `t27`.`k_key`,
                `t27`.`k_time`,
                0 AS `_by`
              FROM (
                SELECT DISTINCT
                  `t64`.`event_key` AS `lineage_of`,
                  `t64`.`event_key` AS `child_key`,
                  `t64`.`host` AS `child_host`,
                  `t64`.`time_us` AS `child_time`,
                  `t64`.`parent_pid` AS `child_parent_pid`,
                  `t64`.`parent_process_guid` AS `child_parent_guid`,
                  `t64`.`parent_image` AS `child_parent_image`,
                  0 AS `depth`
                FROM `t63` AS `t64`
              ) AS `t67`
              INNER JOIN (
                SELECT
                  `t22`.`k_key`,
                  `t22`.`k_host`,
                  `t22`.`k_pid`,
                  `t22`.`k_guid`,
                  `t22`.`k_time`,
                  `t22`.`k_image`,
                  `t24`.`g_host`,
                  `t24`.`g_guid`,
                  `t24`.`g_time`
                FROM `t11` AS `t22`
                INNER JOIN (
                  SELECT
                    `t18`.`k_host` AS `g_host`,
                    `t18`.`k_guid` AS `g_guid`,
                    MAX(`t18`.`k_time`) AS `g_time`
                  FROM `t11` AS `t18`
                  GROUP BY
                    1,
                    2
                ) AS `t24`
                  ON `t22`.`k_host` = `t24`.`g_host`
                  AND `t22`.`k_guid` = `t24`.`g_guid`
                  AND `t22`.`k_time` = `t24`.`g_time`
              ) AS `t27`
                ON `t67`.`child_host` = `t27`.`k_host`
                AND `t67`.`child_parent_guid` = `t27`.`k_guid`
            ) AS `t69`
            UNION ALL
            SELECT
              *
            FROM (
              SELECT
                `t74`.`lineage_of`,
                `t74`.`child_key`,
                `t21`.`k_key`,
                `t21`.`k_time`,
                1 AS `_by`
              FROM (
                SELECT
                  `t72`.`lineage_of`,
                  `t72`.`child_key`,
                  `t72`.`child_host`,
                  `t72`.`child_time`,
                  `t72`.`child_parent_pid`,
                  `t72`.`child_parent_guid`,
                  `t72`.`child_parent_image`,
                  `t72`.`depth`,
                  `t72`.`last_end`
                FROM (
                  SELECT
                    `t67`.`lineage_of`,
                    `t67`.`child_key`,
                    `t67`.`child_host`,
                    `t67`.`child_time`,
                    `t67`.`child_parent_pid`,
                    `t67`.`child_parent_guid`,
                    `t67`.`child_parent_image`,
                    `t67`.`depth`,
                    `t71`.`l_of`,
                    `t71`.`l_child`,
                    `t71`.`last_end`
                  FROM (
                    SELECT DISTINCT
                      `t64`.`event_key` AS `lineage_of`,
                      `t64`.`event_key` AS `child_key`,
                      `t64`.`host` AS `child_host`,
                      `t64`.`time_us` AS `child_time`,
                      `t64`.`parent_pid` AS `child_parent_pid`,
                      `t64`.`parent_process_guid` AS `child_parent_guid`,
                      `t64`.`parent_image` AS `child_parent_image`,
                      0 AS `depth`
                    FROM `t63` AS `t64`
                  ) AS `t67`
                  LEFT OUTER JOIN (
                    SELECT
                      `t68`.`lineage_of` AS `l_of`,
                      `t68`.`child_key` AS `l_child`,
                      MAX(`t68`.`e_time`) AS `last_end`
                    FROM (
                      SELECT
                        `t67`.`lineage_of`,
                        `t67`.`child_key`,
                        `t67`.`child_host`,
                        `t67`.`child_time`,
                        `t67`.`child_parent_pid`,
                        `t67`.`child_parent_guid`,
                        `t67`.`child_parent_image`,
                        `t67`.`depth`,
                        `t15`.`e_host`,
                        `t15`.`e_pid`,
                        `t15`.`e_time`
                      FROM (
                        SELECT DISTINCT
                          `t64`.`event_key` AS `lineage_of`,
                          `t64`.`event_key` AS `child_key`,
                          `t64`.`host` AS `child_host`,
                          `t64`.`time_us` AS `child_time`,
                          `t64`.`parent_pid` AS `child_parent_pid`,
                          `t64`.`parent_process_guid` AS `child_parent_guid`,
                          `t64`.`parent_image` AS `child_parent_image`,
                          0 AS `depth`
                        FROM `t63` AS `t64`
                      ) AS `t67`
                      INNER JOIN (
                        SELECT
                          `t2`.`host` AS `e_host`,
                          `t2`.`pid` AS `e_pid`,
                          `t2`.`time_us` AS `e_time`
                        FROM `process_end` AS `t2`
                      ) AS `t15`
                        ON `t67`.`child_host` = `t15`.`e_host`
                        AND `t67`.`child_parent_pid` = `t15`.`e_pid`
                        AND `t15`.`e_time` < `t67`.`child_time`
                    ) AS `t68`
                    GROUP BY
                      1,
                      2
                  ) AS `t71`
                    ON `t67`.`lineage_of` = `t71`.`l_of` AND `t67`.`child_key` = `t71`.`l_child`
                ) AS `t72`
              ) AS `t74`
              INNER JOIN `t11` AS `t21`
                ON `t74`.`child_host` = `t21`.`k_host`
                AND `t74`.`child_parent_pid` = `t21`.`k_pid`
                AND `t21`.`k_time` <= `t74`.`child_time`
                AND (
                  (
                    `t74`.`last_end` IS NULL
                  ) OR (
                    `t21`.`k_time` > `t74`.`last_end`
                  )
                )
                AND `t21`.`k_key` <> `t74`.`child_key`
                AND (
                  (
                    `t74`.`child_parent_image` IS NULL
                  )
                  OR (
                    LOWER(`t74`.`child_parent_image`) = `t21`.`k_image`
                  )
                )
            ) AS `t75`
          ) AS `t76`
        ) AS `t77`
        WHERE
          `t77`.`_rank` = 0
      ) AS `t79`
        ON `t67`.`lineage_of` = `t79`.`b_of` AND `t67`.`child_key` = `t79`.`b_child`
      INNER JOIN `process` AS `t3`
        ON `t79`.`b_key` = `t3`.`event_key`
    ) AS `t80`
  ) AS `t82`
    ON `t65`.`event_key` = `t82`.`p_of`
  INNER JOIN (
    SELECT
      `t0`.`event_key` AS `creation_key`,
      `t0`.`account_sid`,
      `t0`.`account_name`,
      `t0`.`account_domain`,
      `t0`.`creator_sid`,
      `t0`.`creator_name`,
      `t0`.`creator_domain`,
      `t0`.`creator_logon_id`
    FROM `acctrace_an1604_creation` AS `t0`
  ) AS `t10`
    ON `t65`.`creation_key` = `t10`.`creation_key`
) AS `t83`;
