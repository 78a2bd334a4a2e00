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
WITH `t57` AS (
  SELECT
    *
  FROM (
    SELECT
      `t55`.`creation_key`,
      `t55`.`c_time`,
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
        `t49`.`creation_key`,
        `t49`.`c_host`,
        `t49`.`c_time`,
        `t49`.`c_logon`,
        `t49`.`c_channel`,
        `t49`.`c_record`,
        `t49`.`c_name`,
        `t49`.`c_skew`,
        `t49`.`c_tol`,
        `t49`.`c_sec`,
        `t49`.`event_key`,
        `t49`.`host`,
        `t49`.`host_name`,
        `t49`.`time_us`,
        `t49`.`record_id`,
        `t49`.`event_id`,
        `t49`.`channel`,
        `t49`.`file`,
        `t49`.`sha256`,
        `t49`.`pid`,
        `t49`.`parent_pid`,
        `t49`.`logon_id`,
        `t49`.`image`,
        `t49`.`command_line`,
        `t49`.`parent_image`,
        `t49`.`parent_command_line`,
        `t49`.`process_guid`,
        `t49`.`parent_process_guid`,
        `t49`.`user_sid`,
        `t49`.`user_name`,
        `t49`.`user_domain`,
        `t49`.`integrity`,
        `t49`.`telemetry`,
        `t49`.`surely_before`,
        `t49`.`in_window`
      FROM (
        SELECT
          `t42`.`creation_key`,
          `t42`.`c_host`,
          `t42`.`c_time`,
          `t42`.`c_logon`,
          `t42`.`c_channel`,
          `t42`.`c_record`,
          `t42`.`c_name`,
          `t42`.`c_skew`,
          `t42`.`c_tol`,
          `t42`.`c_sec`,
          `t42`.`event_key`,
          `t42`.`host`,
          `t42`.`host_name`,
          `t42`.`time_us`,
          `t42`.`record_id`,
          `t42`.`event_id`,
          `t42`.`channel`,
          `t42`.`file`,
          `t42`.`sha256`,
          `t42`.`pid`,
          `t42`.`parent_pid`,
          `t42`.`logon_id`,
          `t42`.`image`,
          `t42`.`command_line`,
          `t42`.`parent_image`,
          `t42`.`parent_command_line`,
          `t42`.`process_guid`,
          `t42`.`parent_process_guid`,
          `t42`.`user_sid`,
          `t42`.`user_name`,
          `t42`.`user_domain`,
          `t42`.`integrity`,
          `t42`.`telemetry`,
          (
            (
              `t42`.`channel` = `t42`.`c_channel`
            )
            AND (
              NOT `t42`.`record_id` IS NULL
            )
            AND (
              NOT `t42`.`c_record` IS NULL
            )
            AND (
              `t42`.`record_id` < `t42`.`c_record`
            )
          )
          OR (
            NOT (
              (
                `t42`.`channel` = `t42`.`c_channel`
              )
              AND (
                NOT `t42`.`record_id` IS NULL
              )
              AND (
                NOT `t42`.`c_record` IS NULL
              )
            )
            AND (
              (
                `t42`.`time_us` - IF(CONTAINS(LOWER(`t42`.`channel`), 'sysmon'), `t42`.`c_skew`, 0)
              ) < (
                `t42`.`c_sec` - `t42`.`c_tol`
              )
            )
          ) AS `surely_before`,
          (
            `t42`.`time_us` - IF(CONTAINS(LOWER(`t42`.`channel`), 'sysmon'), `t42`.`c_skew`, 0)
          ) >= (
            `t42`.`c_sec` - 120000000
          ) AS `in_window`
        FROM (
          SELECT
            *
          FROM (
            SELECT
              `t37`.`creation_key`,
              `t37`.`c_host`,
              `t37`.`c_time`,
              `t37`.`c_logon`,
              `t37`.`c_channel`,
              `t37`.`c_record`,
              `t37`.`c_name`,
              `t37`.`c_skew`,
              `t37`.`c_tol`,
              `t37`.`c_sec`,
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
                `t35`.`creation_key`,
                `t35`.`c_host`,
                `t35`.`c_time`,
                `t35`.`c_logon`,
                `t35`.`c_channel`,
                `t35`.`c_record`,
                `t35`.`c_name`,
                COALESCE(`t35`.`k_skew`, 0) AS `c_skew`,
                COALESCE(`t35`.`k_tol`, 5000000) AS `c_tol`,
                `t35`.`c_time` - IF(CONTAINS(LOWER(`t35`.`c_channel`), 'sysmon'), COALESCE(`t35`.`k_skew`, 0), 0) AS `c_sec`
              FROM (
                SELECT
                  `t17`.`creation_key`,
                  `t17`.`c_host`,
                  `t17`.`c_time`,
                  `t17`.`c_logon`,
                  `t17`.`c_channel`,
                  `t17`.`c_record`,
                  `t17`.`c_name`,
                  `t33`.`k_host`,
                  `t33`.`k_skew`,
                  `t33`.`k_tol`
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
                    `t28`.`host` AS `k_host`,
                    IF(`t28`.`pairs` >= 3, `t28`.`median_us`, 0) AS `k_skew`,
                    IF(
                      `t28`.`pairs` >= 3,
                      LEAST((
                        `t28`.`high_us` - `t28`.`low_us`
                      ) + 10000, 5000000),
                      5000000
                    ) AS `k_tol`
                  FROM (
                    SELECT
                      `t26`.`host`,
                      COUNT(*) AS `pairs`,
                      CAST(PERCENTILE_APPROX(`t26`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                      MIN(`t26`.`delta_us`) AS `low_us`,
                      MAX(`t26`.`delta_us`) AS `high_us`
                    FROM (
                      SELECT
                        `t25`.`host`,
                        `t25`.`delta_us`
                      FROM (
                        SELECT
                          `t22`.`event_key`,
                          `t22`.`host`,
                          `t22`.`host_name`,
                          `t22`.`time_us`,
                          `t22`.`record_id`,
                          `t22`.`event_id`,
                          `t22`.`channel`,
                          `t22`.`file`,
                          `t22`.`sha256`,
                          `t22`.`pid`,
                          `t22`.`parent_pid`,
                          `t22`.`logon_id`,
                          `t22`.`image`,
                          `t22`.`command_line`,
                          `t22`.`parent_image`,
                          `t22`.`parent_command_line`,
                          `t22`.`process_guid`,
                          `t22`.`parent_process_guid`,
                          `t22`.`user_sid`,
                          `t22`.`user_name`,
                          `t22`.`user_domain`,
                          `t22`.`integrity`,
                          `t22`.`telemetry`,
                          `t22`.`p_host`,
                          `t22`.`p_pid`,
                          `t22`.`p_image`,
                          `t22`.`p_time`,
                          `t22`.`p_key`,
                          `t22`.`delta_us`,
                          ROW_NUMBER() OVER (
                            PARTITION BY `t22`.`event_key`
                            ORDER BY ABS(`t22`.`delta_us`) ASC NULLS LAST, `t22`.`p_key` ASC NULLS LAST
                          ) - 1 AS `_rank`
                        FROM (
                          SELECT
                            `t21`.`event_key`,
                            `t21`.`host`,
                            `t21`.`host_name`,
                            `t21`.`time_us`,
                            `t21`.`record_id`,
                            `t21`.`event_id`,
                            `t21`.`channel`,
                            `t21`.`file`,
                            `t21`.`sha256`,
                            `t21`.`pid`,
                            `t21`.`parent_pid`,
                            `t21`.`logon_id`,
                            `t21`.`image`,
                            `t21`.`command_line`,
                            `t21`.`parent_image`,
                            `t21`.`parent_command_line`,
                            `t21`.`process_guid`,
                            `t21`.`parent_process_guid`,
                            `t21`.`user_sid`,
                            `t21`.`user_name`,
                            `t21`.`user_domain`,
                            `t21`.`integrity`,
                            `t21`.`telemetry`,
                            `t21`.`p_host`,
                            `t21`.`p_pid`,
                            `t21`.`p_image`,
                            `t21`.`p_time`,
                            `t21`.`p_key`,
                            `t21`.`time_us` - `t21`.`p_time` AS `delta_us`
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
                          ) AS `t21`
                        ) AS `t22`
                      ) AS `t25`
                      WHERE
                        `t25`.`_rank` = 0
                    ) AS `t26`
                    GROUP BY
                      1
                  ) AS `t28`
                ) AS `t33`
                  ON `t17`.`c_host` = `t33`.`k_host`
              ) AS `t35`
            ) AS `t37`
            INNER JOIN `process` AS `t4`
              ON `t37`.`c_host` = `t4`.`host`
              AND `t37`.`c_logon` = `t4`.`logon_id`
              AND `t4`.`time_us` >= (
                (
                  `t37`.`c_time` - 120000000
                ) - (
                  ABS(`t37`.`c_skew`) + `t37`.`c_tol`
                )
              )
              AND `t4`.`time_us` <= (
                `t37`.`c_time` + (
                  ABS(`t37`.`c_skew`) + `t37`.`c_tol`
                )
              )
          ) AS `t40`
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              `t38`.`creation_key`,
              `t38`.`c_host`,
              `t38`.`c_time`,
              `t38`.`c_logon`,
              `t38`.`c_channel`,
              `t38`.`c_record`,
              `t38`.`c_name`,
              `t38`.`c_skew`,
              `t38`.`c_tol`,
              `t38`.`c_sec`,
              `t38`.`event_key`,
              `t38`.`host`,
              `t38`.`host_name`,
              `t38`.`time_us`,
              `t38`.`record_id`,
              `t38`.`event_id`,
              `t38`.`channel`,
              `t38`.`file`,
              `t38`.`sha256`,
              `t38`.`pid`,
              `t38`.`parent_pid`,
              `t38`.`logon_id`,
              `t38`.`image`,
              `t38`.`command_line`,
              `t38`.`parent_image`,
              `t38`.`parent_command_line`,
              `t38`.`process_guid`,
              `t38`.`parent_process_guid`,
              `t38`.`user_sid`,
              `t38`.`user_name`,
              `t38`.`user_domain`,
              `t38`.`integrity`,
              `t38`.`telemetry`
            FROM (
              SELECT
                `t37`.`creation_key`,
                `t37`.`c_host`,
                `t37`.`c_time`,
                `t37`.`c_logon`,
                `t37`.`c_channel`,
                `t37`.`c_record`,
                `t37`.`c_name`,
                `t37`.`c_skew`,
                `t37`.`c_tol`,
                `t37`.`c_sec`,
                `t34`.`event_key`,
                `t34`.`host`,
                `t34`.`host_name`,
                `t34`.`time_us`,
                `t34`.`record_id`,
                `t34`.`event_id`,
                `t34`.`channel`,
                `t34`.`file`,
                `t34`.`sha256`,
                `t34`.`pid`,
                `t34`.`parent_pid`,
                `t34`.`logon_id`,
                `t34`.`image`,
                `t34`.`command_line`,
                `t34`.`parent_image`,
                `t34`.`parent_command_line`,
                `t34`.`process_guid`,
                `t34`.`parent_process_guid`,
                `t34`.`user_sid`,
                `t34`.`user_name`,
                `t34`.`user_domain`,
                `t34`.`integrity`,
                `t34`.`telemetry`,
                `t34`.`f_key`,
                `t34`.`f_end`
              FROM (
                SELECT
                  `t35`.`creation_key`,
                  `t35`.`c_host`,
                  `t35`.`c_time`,
                  `t35`.`c_logon`,
                  `t35`.`c_channel`,
                  `t35`.`c_record`,
                  `t35`.`c_name`,
                  COALESCE(`t35`.`k_skew`, 0) AS `c_skew`,
                  COALESCE(`t35`.`k_tol`, 5000000) AS `c_tol`,
                  `t35`.`c_time` - IF(CONTAINS(LOWER(`t35`.`c_channel`), 'sysmon'), COALESCE(`t35`.`k_skew`, 0), 0) AS `c_sec`
                FROM (
                  SELECT
                    `t17`.`creation_key`,
                    `t17`.`c_host`,
                    `t17`.`c_time`,
                    `t17`.`c_logon`,
                    `t17`.`c_channel`,
                    `t17`.`c_record`,
                    `t17`.`c_name`,
                    `t33`.`k_host`,
                    `t33`.`k_skew`,
                    `t33`.`k_tol`
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
                      `t28`.`host` AS `k_host`,
                      IF(`t28`.`pairs` >= 3, `t28`.`median_us`, 0) AS `k_skew`,
                      IF(
                        `t28`.`pairs` >= 3,
                        LEAST((
                          `t28`.`high_us` - `t28`.`low_us`
                        ) + 10000, 5000000),
                        5000000
                      ) AS `k_tol`
                    FROM (
                      SELECT
                        `t26`.`host`,
                        COUNT(*) AS `pairs`,
                        CAST(PERCENTILE_APPROX(`t26`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                        MIN(`t26`.`delta_us`) AS `low_us`,
                        MAX(`t26`.`delta_us`) AS `high_us`
                      FROM (
                        SELECT
                          `t25`.`host`,
                          `t25`.`delta_us`
                        FROM (
                          SELECT
                            `t22`.`event_key`,
                            `t22`.`host`,
                            `t22`.`host_name`,
                            `t22`.`time_us`,
                            `t22`.`record_id`,
                            `t22`.`event_id`,
                            `t22`.`channel`,
                            `t22`.`file`,
                            `t22`.`sha256`,
                            `t22`.`pid`,
                            `t22`.`parent_pid`,
                            `t22`.`logon_id`,
                            `t22`.`image`,
                            `t22`.`command_line`,
                            `t22`.`parent_image`,
                            `t22`.`parent_command_line`,
                            `t22`.`process_guid`,
                            `t22`.`parent_process_guid`,
                            `t22`.`user_sid`,
                            `t22`.`user_name`,
                            `t22`.`user_domain`,
                            `t22`.`integrity`,
                            `t22`.`telemetry`,
                            `t22`.`p_host`,
                            `t22`.`p_pid`,
                            `t22`.`p_image`,
                            `t22`.`p_time`,
                            `t22`.`p_key`,
                            `t22`.`delta_us`,
                            ROW_NUMBER() OVER (
                              PARTITION BY `t22`.`event_key`
                              ORDER BY ABS(`t22`.`delta_us`) ASC NULLS LAST, `t22`.`p_key` ASC NULLS LAST
                            ) - 1 AS `_rank`
                          FROM (
                            SELECT
                              `t21`.`event_key`,
                              `t21`.`host`,
                              `t21`.`host_name`,
                              `t21`.`time_us`,
                              `t21`.`record_id`,
                              `t21`.`event_id`,
                              `t21`.`channel`,
                              `t21`.`file`,
                              `t21`.`sha256`,
                              `t21`.`pid`,
                              `t21`.`parent_pid`,
                              `t21`.`logon_id`,
                              `t21`.`image`,
                              `t21`.`command_line`,
                              `t21`.`parent_image`,
                              `t21`.`parent_command_line`,
                              `t21`.`process_guid`,
                              `t21`.`parent_process_guid`,
                              `t21`.`user_sid`,
                              `t21`.`user_name`,
                              `t21`.`user_domain`,
                              `t21`.`integrity`,
                              `t21`.`telemetry`,
                              `t21`.`p_host`,
                              `t21`.`p_pid`,
                              `t21`.`p_image`,
                              `t21`.`p_time`,
                              `t21`.`p_key`,
                              `t21`.`time_us` - `t21`.`p_time` AS `delta_us`
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
                            ) AS `t21`
                          ) AS `t22`
                        ) AS `t25`
                        WHERE
                          `t25`.`_rank` = 0
                      ) AS `t26`
                      GROUP BY
                        1
                    ) AS `t28`
                  ) AS `t33`
                    ON `t17`.`c_host` = `t33`.`k_host`
                ) AS `t35`
              ) AS `t37`
              INNER JOIN (
                SELECT
                  `t24`.`event_key`,
                  `t24`.`host`,
                  `t24`.`host_name`,
                  `t24`.`time_us`,
                  `t24`.`record_id`,
                  `t24`.`event_id`,
                  `t24`.`channel`,
                  `t24`.`file`,
                  `t24`.`sha256`,
                  `t24`.`pid`,
                  `t24`.`parent_pid`,
                  `t24`.`logon_id`,
                  `t24`.`image`,
                  `t24`.`command_line`,
                  `t24`.`parent_image`,
                  `t24`.`parent_command_line`,
                  `t24`.`process_guid`,
                  `t24`.`parent_process_guid`,
                  `t24`.`user_sid`,
                  `t24`.`user_name`,
                  `t24`.`user_domain`,
                  `t24`.`integrity`,
                  `t24`.`telemetry`,
                  `t30`.`f_key`,
                  `t30`.`f_end`
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
                ) AS `t24`
                LEFT OUTER JOIN (
                  SELECT
                    `t27`.`event_key` AS `f_key`,
                    MIN(`t27`.`e_time`) AS `f_end`
                  FROM (
                    SELECT
                      `t24`.`event_key`,
                      `t24`.`host`,
                      `t24`.`host_name`,
                      `t24`.`time_us`,
                      `t24`.`record_id`,
                      `t24`.`event_id`,
                      `t24`.`channel`,
                      `t24`.`file`,
                      `t24`.`sha256`,
                      `t24`.`pid`,
                      `t24`.`parent_pid`,
                      `t24`.`logon_id`,
                      `t24`.`image`,
                      `t24`.`command_line`,
                      `t24`.`parent_image`,
                      `t24`.`parent_command_line`,
                      `t24`.`process_guid`,
                      `t24`.`parent_process_guid`,
                      `t24`.`user_sid`,
                      `t24`.`user_name`,
                      `t24`.`user_domain`,
                      `t24`.`integrity`,
                      `t24`.`telemetry`,
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
                    ) AS `t24`
                    INNER JOIN (
                      SELECT
                        `t2`.`host` AS `e_host`,
                        `t2`.`pid` AS `e_pid`,
                        `t2`.`process_guid` AS `e_guid`,
                        `t2`.`time_us` AS `e_time`
                      FROM `process_end` AS `t2`
                    ) AS `t14`
                      ON `t24`.`host` = `t14`.`e_host`
                      AND `t24`.`pid` = `t14`.`e_pid`
                      AND (
                        (
                          `t24`.`process_guid` IS NULL
                        )
                        OR (
                          `t14`.`e_guid` IS NULL
                        )
                        OR (
                          `t24`.`process_guid` = `t14`.`e_guid`
                        )
                      )
                      AND `t14`.`e_time` >= `t24`.`time_us`
                  ) AS `t27`
                  GROUP BY
                    1
                ) AS `t30`
                  ON `t24`.`event_key` = `t30`.`f_key`
              ) AS `t34`
                ON `t37`.`c_host` = `t34`.`host`
                AND `t37`.`c_logon` = `t34`.`logon_id`
                AND `t34`.`time_us` < (
                  (
                    `t37`.`c_time` - 120000000
                  ) - (
                    ABS(`t37`.`c_skew`) + `t37`.`c_tol`
                  )
                )
            ) AS `t38`
            WHERE
              (
                `t38`.`f_end` IS NULL
              )
              OR (
                `t38`.`f_end` >= (
                  (
                    `t38`.`c_time` - 120000000
                  ) - (
                    ABS(`t38`.`c_skew`) + `t38`.`c_tol`
                  )
                )
              )
          ) AS `t41`
        ) AS `t42`
        WHERE
          (
            (
              (
                `t42`.`channel` = `t42`.`c_channel`
              )
              AND (
                NOT `t42`.`record_id` IS NULL
              )
              AND (
                NOT `t42`.`c_record` IS NULL
              )
              AND (
                `t42`.`record_id` < `t42`.`c_record`
              )
            )
            OR (
              NOT (
                (
                  `t42`.`channel` = `t42`.`c_channel`
                )
                AND (
                  NOT `t42`.`record_id` IS NULL
                )
                AND (
                  NOT `t42`.`c_record` IS NULL
                )
              )
              AND (
                (
                  `t42`.`time_us` - IF(CONTAINS(LOWER(`t42`.`channel`), 'sysmon'), `t42`.`c_skew`, 0)
                ) <= (
                  `t42`.`c_sec` + `t42`.`c_tol`
                )
              )
            )
          )
          AND (
            (
              (
                `t42`.`time_us` - IF(CONTAINS(LOWER(`t42`.`channel`), 'sysmon'), `t42`.`c_skew`, 0)
              ) >= (
                `t42`.`c_sec` - 120000000
              )
            )
            OR COALESCE(
              REPLACE(LOWER(`t42`.`image`), '/', '\\') IN (
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
              OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\powershell.exe')
              OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\pwsh.exe')
              OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\powershell_ise.exe')
              OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\wsmprovhost.exe')
              OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\cscript.exe')
              OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\wscript.exe')
              OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\mshta.exe')
              OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\wmiprvse.exe')
              OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\mmc.exe')
              OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\rundll32.exe')
              OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\python.exe')
              OR (
                CONTAINS(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\')
                AND NOT (
                  FALSE
                  OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), 'c:\\windows\\system32\\')
                  OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), 'c:\\windows\\syswow64\\')
                  OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), 'c:\\windows\\')
                  OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), 'c:\\program files\\')
                  OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), 'c:\\program files (x86)\\')
                  OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '%systemroot%\\')
                  OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\systemroot\\')
                )
              ),
              FALSE
            )
          )
      ) AS `t49`
      LEFT ANTI JOIN (
        SELECT DISTINCT
          `t52`.`creation_key` AS `d_creation`,
          `t52`.`event_key` AS `d_key`
        FROM (
          SELECT
            `t49`.`creation_key`,
            `t49`.`c_host`,
            `t49`.`c_time`,
            `t49`.`c_logon`,
            `t49`.`c_channel`,
            `t49`.`c_record`,
            `t49`.`c_name`,
            `t49`.`c_skew`,
            `t49`.`c_tol`,
            `t49`.`c_sec`,
            `t49`.`event_key`,
            `t49`.`host`,
            `t49`.`host_name`,
            `t49`.`time_us`,
            `t49`.`record_id`,
            `t49`.`event_id`,
            `t49`.`channel`,
            `t49`.`file`,
            `t49`.`sha256`,
            `t49`.`pid`,
            `t49`.`parent_pid`,
            `t49`.`logon_id`,
            `t49`.`image`,
            `t49`.`command_line`,
            `t49`.`parent_image`,
            `t49`.`parent_command_line`,
            `t49`.`process_guid`,
            `t49`.`parent_process_guid`,
            `t49`.`user_sid`,
            `t49`.`user_name`,
            `t49`.`user_domain`,
            `t49`.`integrity`,
            `t49`.`telemetry`,
            `t49`.`surely_before`,
            `t49`.`in_window`,
            `t16`.`e_host`,
            `t16`.`e_pid`,
            `t16`.`e_guid`,
            `t16`.`e_time`,
            `t16`.`e_channel`,
            `t16`.`e_record`
          FROM (
            SELECT
              `t42`.`creation_key`,
              `t42`.`c_host`,
              `t42`.`c_time`,
              `t42`.`c_logon`,
              `t42`.`c_channel`,
              `t42`.`c_record`,
              `t42`.`c_name`,
              `t42`.`c_skew`,
              `t42`.`c_tol`,
              `t42`.`c_sec`,
              `t42`.`event_key`,
              `t42`.`host`,
              `t42`.`host_name`,
              `t42`.`time_us`,
              `t42`.`record_id`,
              `t42`.`event_id`,
              `t42`.`channel`,
              `t42`.`file`,
              `t42`.`sha256`,
              `t42`.`pid`,
              `t42`.`parent_pid`,
              `t42`.`logon_id`,
              `t42`.`image`,
              `t42`.`command_line`,
              `t42`.`parent_image`,
              `t42`.`parent_command_line`,
              `t42`.`process_guid`,
              `t42`.`parent_process_guid`,
              `t42`.`user_sid`,
              `t42`.`user_name`,
              `t42`.`user_domain`,
              `t42`.`integrity`,
              `t42`.`telemetry`,
              (
                (
                  `t42`.`channel` = `t42`.`c_channel`
                )
                AND (
                  NOT `t42`.`record_id` IS NULL
                )
                AND (
                  NOT `t42`.`c_record` IS NULL
                )
                AND (
                  `t42`.`record_id` < `t42`.`c_record`
                )
              )
              OR (
                NOT (
                  (
                    `t42`.`channel` = `t42`.`c_channel`
                  )
                  AND (
                    NOT `t42`.`record_id` IS NULL
                  )
                  AND (
                    NOT `t42`.`c_record` IS NULL
                  )
                )
                AND (
                  (
                    `t42`.`time_us` - IF(CONTAINS(LOWER(`t42`.`channel`), 'sysmon'), `t42`.`c_skew`, 0)
                  ) < (
                    `t42`.`c_sec` - `t42`.`c_tol`
                  )
                )
              ) AS `surely_before`,
              (
                `t42`.`time_us` - IF(CONTAINS(LOWER(`t42`.`channel`), 'sysmon'), `t42`.`c_skew`, 0)
              ) >= (
                `t42`.`c_sec` - 120000000
              ) AS `in_window`
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  `t37`.`creation_key`,
                  `t37`.`c_host`,
                  `t37`.`c_time`,
                  `t37`.`c_logon`,
                  `t37`.`c_channel`,
                  `t37`.`c_record`,
                  `t37`.`c_name`,
                  `t37`.`c_skew`,
                  `t37`.`c_tol`,
                  `t37`.`c_sec`,
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
                    `t35`.`creation_key`,
                    `t35`.`c_host`,
                    `t35`.`c_time`,
                    `t35`.`c_logon`,
                    `t35`.`c_channel`,
                    `t35`.`c_record`,
                    `t35`.`c_name`,
                    COALESCE(`t35`.`k_skew`, 0) AS `c_skew`,
                    COALESCE(`t35`.`k_tol`, 5000000) AS `c_tol`,
                    `t35`.`c_time` - IF(CONTAINS(LOWER(`t35`.`c_channel`), 'sysmon'), COALESCE(`t35`.`k_skew`, 0), 0) AS `c_sec`
                  FROM (
                    SELECT
                      `t17`.`creation_key`,
                      `t17`.`c_host`,
                      `t17`.`c_time`,
                      `t17`.`c_logon`,
                      `t17`.`c_channel`,
                      `t17`.`c_record`,
                      `t17`.`c_name`,
                      `t33`.`k_host`,
                      `t33`.`k_skew`,
                      `t33`.`k_tol`
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
                        `t28`.`host` AS `k_host`,
                        IF(`t28`.`pairs` >= 3, `t28`.`median_us`, 0) AS `k_skew`,
                        IF(
                          `t28`.`pairs` >= 3,
                          LEAST((
                            `t28`.`high_us` - `t28`.`low_us`
                          ) + 10000, 5000000),
                          5000000
                        ) AS `k_tol`
                      FROM (
                        SELECT
                          `t26`.`host`,
                          COUNT(*) AS `pairs`,
                          CAST(PERCENTILE_APPROX(`t26`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                          MIN(`t26`.`delta_us`) AS `low_us`,
                          MAX(`t26`.`delta_us`) AS `high_us`
                        FROM (
                          SELECT
                            `t25`.`host`,
                            `t25`.`delta_us`
                          FROM (
                            SELECT
                              `t22`.`event_key`,
                              `t22`.`host`,
                              `t22`.`host_name`,
                              `t22`.`time_us`,
                              `t22`.`record_id`,
                              `t22`.`event_id`,
                              `t22`.`channel`,
                              `t22`.`file`,
                              `t22`.`sha256`,
                              `t22`.`pid`,
                              `t22`.`parent_pid`,
                              `t22`.`logon_id`,
                              `t22`.`image`,
                              `t22`.`command_line`,
                              `t22`.`parent_image`,
                              `t22`.`parent_command_line`,
                              `t22`.`process_guid`,
                              `t22`.`parent_process_guid`,
                              `t22`.`user_sid`,
                              `t22`.`user_name`,
                              `t22`.`user_domain`,
                              `t22`.`integrity`,
                              `t22`.`telemetry`,
                              `t22`.`p_host`,
                              `t22`.`p_pid`,
                              `t22`.`p_image`,
                              `t22`.`p_time`,
                              `t22`.`p_key`,
                              `t22`.`delta_us`,
                              ROW_NUMBER() OVER (
                                PARTITION BY `t22`.`event_key`
                                ORDER BY ABS(`t22`.`delta_us`) ASC NULLS LAST, `t22`.`p_key` ASC NULLS LAST
                              ) - 1 AS `_rank`
                            FROM (
                              SELECT
                                `t21`.`event_key`,
                                `t21`.`host`,
                                `t21`.`host_name`,
                                `t21`.`time_us`,
                                `t21`.`record_id`,
                                `t21`.`event_id`,
                                `t21`.`channel`,
                                `t21`.`file`,
                                `t21`.`sha256`,
                                `t21`.`pid`,
                                `t21`.`parent_pid`,
                                `t21`.`logon_id`,
                                `t21`.`image`,
                                `t21`.`command_line`,
                                `t21`.`parent_image`,
                                `t21`.`parent_command_line`,
                                `t21`.`process_guid`,
                                `t21`.`parent_process_guid`,
                                `t21`.`user_sid`,
                                `t21`.`user_name`,
                                `t21`.`user_domain`,
                                `t21`.`integrity`,
                                `t21`.`telemetry`,
                                `t21`.`p_host`,
                                `t21`.`p_pid`,
                                `t21`.`p_image`,
                                `t21`.`p_time`,
                                `t21`.`p_key`,
                                `t21`.`time_us` - `t21`.`p_time` AS `delta_us`
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
                              ) AS `t21`
                            ) AS `t22`
                          ) AS `t25`
                          WHERE
                            `t25`.`_rank` = 0
                        ) AS `t26`
                        GROUP BY
                          1
                      ) AS `t28`
                    ) AS `t33`
                      ON `t17`.`c_host` = `t33`.`k_host`
                  ) AS `t35`
                ) AS `t37`
                INNER JOIN `process` AS `t4`
                  ON `t37`.`c_host` = `t4`.`host`
                  AND `t37`.`c_logon` = `t4`.`logon_id`
                  AND `t4`.`time_us` >= (
                    (
                      `t37`.`c_time` - 120000000
                    ) - (
                      ABS(`t37`.`c_skew`) + `t37`.`c_tol`
                    )
                  )
                  AND `t4`.`time_us` <= (
                    `t37`.`c_time` + (
                      ABS(`t37`.`c_skew`) + `t37`.`c_tol`
                    )
                  )
              ) AS `t40`
              UNION ALL
              SELECT
                *
              FROM (
                SELECT
                  `t38`.`creation_key`,
                  `t38`.`c_host`,
                  `t38`.`c_time`,
                  `t38`.`c_logon`,
                  `t38`.`c_channel`,
                  `t38`.`c_record`,
                  `t38`.`c_name`,
                  `t38`.`c_skew`,
                  `t38`.`c_tol`,
                  `t38`.`c_sec`,
                  `t38`.`event_key`,
                  `t38`.`host`,
                  `t38`.`host_name`,
                  `t38`.`time_us`,
                  `t38`.`record_id`,
                  `t38`.`event_id`,
                  `t38`.`channel`,
                  `t38`.`file`,
                  `t38`.`sha256`,
                  `t38`.`pid`,
                  `t38`.`parent_pid`,
                  `t38`.`logon_id`,
                  `t38`.`image`,
                  `t38`.`command_line`,
                  `t38`.`parent_image`,
                  `t38`.`parent_command_line`,
                  `t38`.`process_guid`,
                  `t38`.`parent_process_guid`,
                  `t38`.`user_sid`,
                  `t38`.`user_name`,
                  `t38`.`user_domain`,
                  `t38`.`integrity`,
                  `t38`.`telemetry`
                FROM (
                  SELECT
                    `t37`.`creation_key`,
                    `t37`.`c_host`,
                    `t37`.`c_time`,
                    `t37`.`c_logon`,
                    `t37`.`c_channel`,
                    `t37`.`c_record`,
                    `t37`.`c_name`,
                    `t37`.`c_skew`,
                    `t37`.`c_tol`,
                    `t37`.`c_sec`,
                    `t34`.`event_key`,
                    `t34`.`host`,
                    `t34`.`host_name`,
                    `t34`.`time_us`,
                    `t34`.`record_id`,
                    `t34`.`event_id`,
                    `t34`.`channel`,
                    `t34`.`file`,
                    `t34`.`sha256`,
                    `t34`.`pid`,
                    `t34`.`parent_pid`,
                    `t34`.`logon_id`,
                    `t34`.`image`,
                    `t34`.`command_line`,
                    `t34`.`parent_image`,
                    `t34`.`parent_command_line`,
                    `t34`.`process_guid`,
                    `t34`.`parent_process_guid`,
                    `t34`.`user_sid`,
                    `t34`.`user_name`,
                    `t34`.`user_domain`,
                    `t34`.`integrity`,
                    `t34`.`telemetry`,
                    `t34`.`f_key`,
                    `t34`.`f_end`
                  FROM (
                    SELECT
                      `t35`.`creation_key`,
                      `t35`.`c_host`,
                      `t35`.`c_time`,
                      `t35`.`c_logon`,
                      `t35`.`c_channel`,
                      `t35`.`c_record`,
                      `t35`.`c_name`,
                      COALESCE(`t35`.`k_skew`, 0) AS `c_skew`,
                      COALESCE(`t35`.`k_tol`, 5000000) AS `c_tol`,
                      `t35`.`c_time` - IF(CONTAINS(LOWER(`t35`.`c_channel`), 'sysmon'), COALESCE(`t35`.`k_skew`, 0), 0) AS `c_sec`
                    FROM (
                      SELECT
                        `t17`.`creation_key`,
                        `t17`.`c_host`,
                        `t17`.`c_time`,
                        `t17`.`c_logon`,
                        `t17`.`c_channel`,
                        `t17`.`c_record`,
                        `t17`.`c_name`,
                        `t33`.`k_host`,
                        `t33`.`k_skew`,
                        `t33`.`k_tol`
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
                          `t28`.`host` AS `k_host`,
                          IF(`t28`.`pairs` >= 3, `t28`.`median_us`, 0) AS `k_skew`,
                          IF(
                            `t28`.`pairs` >= 3,
                            LEAST((
                              `t28`.`high_us` - `t28`.`low_us`
                            ) + 10000, 5000000),
                            5000000
                          ) AS `k_tol`
                        FROM (
                          SELECT
                            `t26`.`host`,
                            COUNT(*) AS `pairs`,
                            CAST(PERCENTILE_APPROX(`t26`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                            MIN(`t26`.`delta_us`) AS `low_us`,
                            MAX(`t26`.`delta_us`) AS `high_us`
                          FROM (
                            SELECT
                              `t25`.`host`,
                              `t25`.`delta_us`
                            FROM (
                              SELECT
                                `t22`.`event_key`,
                                `t22`.`host`,
                                `t22`.`host_name`,
                                `t22`.`time_us`,
                                `t22`.`record_id`,
                                `t22`.`event_id`,
                                `t22`.`channel`,
                                `t22`.`file`,
                                `t22`.`sha256`,
                                `t22`.`pid`,
                                `t22`.`parent_pid`,
                                `t22`.`logon_id`,
                                `t22`.`image`,
                                `t22`.`command_line`,
                                `t22`.`parent_image`,
                                `t22`.`parent_command_line`,
                                `t22`.`process_guid`,
                                `t22`.`parent_process_guid`,
                                `t22`.`user_sid`,
                                `t22`.`user_name`,
                                `t22`.`user_domain`,
                                `t22`.`integrity`,
                                `t22`.`telemetry`,
                                `t22`.`p_host`,
                                `t22`.`p_pid`,
                                `t22`.`p_image`,
                                `t22`.`p_time`,
                                `t22`.`p_key`,
                                `t22`.`delta_us`,
                                ROW_NUMBER() OVER (
                                  PARTITION BY `t22`.`event_key`
                                  ORDER BY ABS(`t22`.`delta_us`) ASC NULLS LAST, `t22`.`p_key` ASC NULLS LAST
                                ) - 1 AS `_rank`
                              FROM (
                                SELECT
                                  `t21`.`event_key`,
                                  `t21`.`host`,
                                  `t21`.`host_name`,
                                  `t21`.`time_us`,
                                  `t21`.`record_id`,
                                  `t21`.`event_id`,
                                  `t21`.`channel`,
                                  `t21`.`file`,
                                  `t21`.`sha256`,
                                  `t21`.`pid`,
                                  `t21`.`parent_pid`,
                                  `t21`.`logon_id`,
                                  `t21`.`image`,
                                  `t21`.`command_line`,
                                  `t21`.`parent_image`,
                                  `t21`.`parent_command_line`,
                                  `t21`.`process_guid`,
                                  `t21`.`parent_process_guid`,
                                  `t21`.`user_sid`,
                                  `t21`.`user_name`,
                                  `t21`.`user_domain`,
                                  `t21`.`integrity`,
                                  `t21`.`telemetry`,
                                  `t21`.`p_host`,
                                  `t21`.`p_pid`,
                                  `t21`.`p_image`,
                                  `t21`.`p_time`,
                                  `t21`.`p_key`,
                                  `t21`.`time_us` - `t21`.`p_time` AS `delta_us`
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
                                ) AS `t21`
                              ) AS `t22`
                            ) AS `t25`
                            WHERE
                              `t25`.`_rank` = 0
                          ) AS `t26`
                          GROUP BY
                            1
                        ) AS `t28`
                      ) AS `t33`
                        ON `t17`.`c_host` = `t33`.`k_host`
                    ) AS `t35`
                  ) AS `t37`
                  INNER JOIN (
                    SELECT
                      `t24`.`event_key`,
                      `t24`.`host`,
                      `t24`.`host_name`,
                      `t24`.`time_us`,
                      `t24`.`record_id`,
                      `t24`.`event_id`,
                      `t24`.`channel`,
                      `t24`.`file`,
                      `t24`.`sha256`,
                      `t24`.`pid`,
                      `t24`.`parent_pid`,
                      `t24`.`logon_id`,
                      `t24`.`image`,
                      `t24`.`command_line`,
                      `t24`.`parent_image`,
                      `t24`.`parent_command_line`,
                      `t24`.`process_guid`,
                      `t24`.`parent_process_guid`,
                      `t24`.`user_sid`,
                      `t24`.`user_name`,
                      `t24`.`user_domain`,
                      `t24`.`integrity`,
                      `t24`.`telemetry`,
                      `t30`.`f_key`,
                      `t30`.`f_end`
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
                    ) AS `t24`
                    LEFT OUTER JOIN (
                      SELECT
                        `t27`.`event_key` AS `f_key`,
                        MIN(`t27`.`e_time`) AS `f_end`
                      FROM (
                        SELECT
                          `t24`.`event_key`,
                          `t24`.`host`,
                          `t24`.`host_name`,
                          `t24`.`time_us`,
                          `t24`.`record_id`,
                          `t24`.`event_id`,
                          `t24`.`channel`,
                          `t24`.`file`,
                          `t24`.`sha256`,
                          `t24`.`pid`,
                          `t24`.`parent_pid`,
                          `t24`.`logon_id`,
                          `t24`.`image`,
                          `t24`.`command_line`,
                          `t24`.`parent_image`,
                          `t24`.`parent_command_line`,
                          `t24`.`process_guid`,
                          `t24`.`parent_process_guid`,
                          `t24`.`user_sid`,
                          `t24`.`user_name`,
                          `t24`.`user_domain`,
                          `t24`.`integrity`,
                          `t24`.`telemetry`,
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
                        ) AS `t24`
                        INNER JOIN (
                          SELECT
                            `t2`.`host` AS `e_host`,
                            `t2`.`pid` AS `e_pid`,
                            `t2`.`process_guid` AS `e_guid`,
                            `t2`.`time_us` AS `e_time`
                          FROM `process_end` AS `t2`
                        ) AS `t14`
                          ON `t24`.`host` = `t14`.`e_host`
                          AND `t24`.`pid` = `t14`.`e_pid`
                          AND (
                            (
                              `t24`.`process_guid` IS NULL
                            )
                            OR (
                              `t14`.`e_guid` IS NULL
                            )
                            OR (
                              `t24`.`process_guid` = `t14`.`e_guid`
                            )
                          )
                          AND `t14`.`e_time` >= `t24`.`time_us`
                      ) AS `t27`
                      GROUP BY
                        1
                    ) AS `t30`
                      ON `t24`.`event_key` = `t30`.`f_key`
                  ) AS `t34`
                    ON `t37`.`c_host` = `t34`.`host`
                    AND `t37`.`c_logon` = `t34`.`logon_id`
                    AND `t34`.`time_us` < (
                      (
                        `t37`.`c_time` - 120000000
                      ) - (
                        ABS(`t37`.`c_skew`) + `t37`.`c_tol`
                      )
                    )
                ) AS `t38`
                WHERE
                  (
                    `t38`.`f_end` IS NULL
                  )
                  OR (
                    `t38`.`f_end` >= (
                      (
                        `t38`.`c_time` - 120000000
                      ) - (
                        ABS(`t38`.`c_skew`) + `t38`.`c_tol`
                      )
                    )
                  )
              ) AS `t41`
            ) AS `t42`
            WHERE
              (
                (
                  (
                    `t42`.`channel` = `t42`.`c_channel`
                  )
                  AND (
                    NOT `t42`.`record_id` IS NULL
                  )
                  AND (
                    NOT `t42`.`c_record` IS NULL
                  )
                  AND (
                    `t42`.`record_id` < `t42`.`c_record`
                  )
                )
                OR (
                  NOT (
                    (
                      `t42`.`channel` = `t42`.`c_channel`
                    )
                    AND (
                      NOT `t42`.`record_id` IS NULL
                    )
                    AND (
                      NOT `t42`.`c_record` IS NULL
                    )
                  )
                  AND (
                    (
                      `t42`.`time_us` - IF(CONTAINS(LOWER(`t42`.`channel`), 'sysmon'), `t42`.`c_skew`, 0)
                    ) <= (
                      `t42`.`c_sec` + `t42`.`c_tol`
                    )
                  )
                )
              )
              AND (
                (
                  (
                    `t42`.`time_us` - IF(CONTAINS(LOWER(`t42`.`channel`), 'sysmon'), `t42`.`c_skew`, 0)
                  ) >= (
                    `t42`.`c_sec` - 120000000
                  )
                )
                OR COALESCE(
                  REPLACE(LOWER(`t42`.`image`), '/', '\\') IN (
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
                  OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\powershell.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\pwsh.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\powershell_ise.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\wsmprovhost.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\cscript.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\wscript.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\mshta.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\wmiprvse.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\mmc.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\rundll32.exe')
                  OR ENDSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\python.exe')
                  OR (
                    CONTAINS(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\')
                    AND NOT (
                      FALSE
                      OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), 'c:\\windows\\system32\\')
                      OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), 'c:\\windows\\syswow64\\')
                      OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), 'c:\\windows\\')
                      OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), 'c:\\program files\\')
                      OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), 'c:\\program files (x86)\\')
                      OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '%systemroot%\\')
                      OR STARTSWITH(REPLACE(LOWER(`t42`.`image`), '/', '\\'), '\\systemroot\\')
                    )
                  ),
                  FALSE
                )
              )
          ) AS `t49`
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
            ON `t49`.`host` = `t16`.`e_host`
            AND `t49`.`pid` = `t16`.`e_pid`
            AND (
              (
                `t49`.`process_guid` IS NULL
              )
              OR (
                `t16`.`e_guid` IS NULL
              )
              OR (
                `t49`.`process_guid` = `t16`.`e_guid`
              )
            )
            AND `t16`.`e_time` >= `t49`.`time_us`
        ) AS `t52`
        WHERE
          (
            (
              `t52`.`e_channel` = `t52`.`c_channel`
            )
            AND (
              NOT `t52`.`e_record` IS NULL
            )
            AND (
              NOT `t52`.`c_record` IS NULL
            )
            AND (
              `t52`.`e_record` < `t52`.`c_record`
            )
          )
          OR (
            NOT (
              (
                `t52`.`e_channel` = `t52`.`c_channel`
              )
              AND (
                NOT `t52`.`e_record` IS NULL
              )
              AND (
                NOT `t52`.`c_record` IS NULL
              )
            )
            AND (
              (
                `t52`.`e_time` - IF(CONTAINS(LOWER(`t52`.`e_channel`), 'sysmon'), `t52`.`c_skew`, 0)
              ) < (
                `t52`.`c_sec` - `t52`.`c_tol`
              )
            )
          )
      ) AS `t54`
        ON `t49`.`creation_key` = `t54`.`d_creation` AND `t49`.`event_key` = `t54`.`d_key`
    ) AS `t55`
  ) AS `t56`
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      `t50`.`creation_key`,
      `t50`.`c_time`,
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
        `t44`.`telemetry`,
        `t44`.`surely_before`,
        `t44`.`in_window`
      FROM (
        SELECT
          `t39`.`creation_key`,
          `t39`.`c_host`,
          `t39`.`c_time`,
          `t39`.`c_logon`,
          `t39`.`c_channel`,
          `t39`.`c_record`,
          `t39`.`c_name`,
          `t39`.`c_skew`,
          `t39`.`c_tol`,
          `t39`.`c_sec`,
          `t39`.`event_key`,
          `t39`.`host`,
          `t39`.`host_name`,
          `t39`.`time_us`,
          `t39`.`record_id`,
          `t39`.`event_id`,
          `t39`.`channel`,
          `t39`.`file`,
          `t39`.`sha256`,
          `t39`.`pid`,
          `t39`.`parent_pid`,
          `t39`.`logon_id`,
          `t39`.`image`,
          `t39`.`command_line`,
          `t39`.`parent_image`,
          `t39`.`parent_command_line`,
          `t39`.`process_guid`,
          `t39`.`parent_process_guid`,
          `t39`.`user_sid`,
          `t39`.`user_name`,
          `t39`.`user_domain`,
          `t39`.`integrity`,
          `t39`.`telemetry`,
          (
            (
              `t39`.`channel` = `t39`.`c_channel`
            )
            AND (
              NOT `t39`.`record_id` IS NULL
            )
            AND (
              NOT `t39`.`c_record` IS NULL
            )
            AND (
              `t39`.`record_id` < `t39`.`c_record`
            )
          )
          OR (
            NOT (
              (
                `t39`.`channel` = `t39`.`c_channel`
              )
              AND (
                NOT `t39`.`record_id` IS NULL
              )
              AND (
                NOT `t39`.`c_record` IS NULL
              )
            )
            AND (
              (
                `t39`.`time_us` - IF(CONTAINS(LOWER(`t39`.`channel`), 'sysmon'), `t39`.`c_skew`, 0)
              ) < (
                `t39`.`c_sec` - `t39`.`c_tol`
              )
            )
          ) AS `surely_before`,
          (
            `t39`.`time_us` - IF(CONTAINS(LOWER(`t39`.`channel`), 'sysmon'), `t39`.`c_skew`, 0)
          ) >= (
            `t39`.`c_sec` - 120000000
          ) AS `in_window`
        FROM (
          SELECT
            `t37`.`creation_key`,
            `t37`.`c_host`,
            `t37`.`c_time`,
            `t37`.`c_logon`,
            `t37`.`c_channel`,
            `t37`.`c_record`,
            `t37`.`c_name`,
            `t37`.`c_skew`,
            `t37`.`c_tol`,
            `t37`.`c_sec`,
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
              `t35`.`creation_key`,
              `t35`.`c_host`,
              `t35`.`c_time`,
              `t35`.`c_logon`,
              `t35`.`c_channel`,
              `t35`.`c_record`,
              `t35`.`c_name`,
              COALESCE(`t35`.`k_skew`, 0) AS `c_skew`,
              COALESCE(`t35`.`k_tol`, 5000000) AS `c_tol`,
              `t35`.`c_time` - IF(CONTAINS(LOWER(`t35`.`c_channel`), 'sysmon'), COALESCE(`t35`.`k_skew`, 0), 0) AS `c_sec`
            FROM (
              SELECT
                `t17`.`creation_key`,
                `t17`.`c_host`,
                `t17`.`c_time`,
                `t17`.`c_logon`,
                `t17`.`c_channel`,
                `t17`.`c_record`,
                `t17`.`c_name`,
                `t33`.`k_host`,
                `t33`.`k_skew`,
                `t33`.`k_tol`
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
                  `t28`.`host` AS `k_host`,
                  IF(`t28`.`pairs` >= 3, `t28`.`median_us`, 0) AS `k_skew`,
                  IF(
                    `t28`.`pairs` >= 3,
                    LEAST((
                      `t28`.`high_us` - `t28`.`low_us`
                    ) + 10000, 5000000),
                    5000000
                  ) AS `k_tol`
                FROM (
                  SELECT
                    `t26`.`host`,
                    COUNT(*) AS `pairs`,
                    CAST(PERCENTILE_APPROX(`t26`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                    MIN(`t26`.`delta_us`) AS `low_us`,
                    MAX(`t26`.`delta_us`) AS `high_us`
                  FROM (
                    SELECT
                      `t25`.`host`,
                      `t25`.`delta_us`
                    FROM (
                      SELECT
                        `t22`.`event_key`,
                        `t22`.`host`,
                        `t22`.`host_name`,
                        `t22`.`time_us`,
                        `t22`.`record_id`,
                        `t22`.`event_id`,
                        `t22`.`channel`,
                        `t22`.`file`,
                        `t22`.`sha256`,
                        `t22`.`pid`,
                        `t22`.`parent_pid`,
                        `t22`.`logon_id`,
                        `t22`.`image`,
                        `t22`.`command_line`,
                        `t22`.`parent_image`,
                        `t22`.`parent_command_line`,
                        `t22`.`process_guid`,
                        `t22`.`parent_process_guid`,
                        `t22`.`user_sid`,
                        `t22`.`user_name`,
                        `t22`.`user_domain`,
                        `t22`.`integrity`,
                        `t22`.`telemetry`,
                        `t22`.`p_host`,
                        `t22`.`p_pid`,
                        `t22`.`p_image`,
                        `t22`.`p_time`,
                        `t22`.`p_key`,
                        `t22`.`delta_us`,
                        ROW_NUMBER() OVER (
                          PARTITION BY `t22`.`event_key`
                          ORDER BY ABS(`t22`.`delta_us`) ASC NULLS LAST, `t22`.`p_key` ASC NULLS LAST
                        ) - 1 AS `_rank`
                      FROM (
                        SELECT
                          `t21`.`event_key`,
                          `t21`.`host`,
                          `t21`.`host_name`,
                          `t21`.`time_us`,
                          `t21`.`record_id`,
                          `t21`.`event_id`,
                          `t21`.`channel`,
                          `t21`.`file`,
                          `t21`.`sha256`,
                          `t21`.`pid`,
                          `t21`.`parent_pid`,
                          `t21`.`logon_id`,
                          `t21`.`image`,
                          `t21`.`command_line`,
                          `t21`.`parent_image`,
                          `t21`.`parent_command_line`,
                          `t21`.`process_guid`,
                          `t21`.`parent_process_guid`,
                          `t21`.`user_sid`,
                          `t21`.`user_name`,
                          `t21`.`user_domain`,
                          `t21`.`integrity`,
                          `t21`.`telemetry`,
                          `t21`.`p_host`,
                          `t21`.`p_pid`,
                          `t21`.`p_image`,
                          `t21`.`p_time`,
                          `t21`.`p_key`,
                          `t21`.`time_us` - `t21`.`p_time` AS `delta_us`
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
                        ) AS `t21`
                      ) AS `t22`
                    ) AS `t25`
                    WHERE
                      `t25`.`_rank` = 0
                  ) AS `t26`
                  GROUP BY
                    1
                ) AS `t28`
              ) AS `t33`
                ON `t17`.`c_host` = `t33`.`k_host`
            ) AS `t35`
          ) AS `t37`
          INNER JOIN `process` AS `t4`
            ON `t37`.`c_host` = `t4`.`host`
            AND `t37`.`c_logon` IS NULL
            AND `t4`.`time_us` >= (
              (
                `t37`.`c_time` - 120000000
              ) - (
                ABS(`t37`.`c_skew`) + `t37`.`c_tol`
              )
            )
            AND `t4`.`time_us` <= (
              `t37`.`c_time` + (
                ABS(`t37`.`c_skew`) + `t37`.`c_tol`
              )
            )
            AND CONTAINS(LOWER(`t4`.`command_line`), `t37`.`c_name`)
        ) AS `t39`
        WHERE
          (
            (
              (
                `t39`.`channel` = `t39`.`c_channel`
              )
              AND (
                NOT `t39`.`record_id` IS NULL
              )
              AND (
                NOT `t39`.`c_record` IS NULL
              )
              AND (
                `t39`.`record_id` < `t39`.`c_record`
              )
            )
            OR (
              NOT (
                (
                  `t39`.`channel` = `t39`.`c_channel`
                )
                AND (
                  NOT `t39`.`record_id` IS NULL
                )
                AND (
                  NOT `t39`.`c_record` IS NULL
                )
              )
              AND (
                (
                  `t39`.`time_us` - IF(CONTAINS(LOWER(`t39`.`channel`), 'sysmon'), `t39`.`c_skew`, 0)
                ) <= (
                  `t39`.`c_sec` + `t39`.`c_tol`
                )
              )
            )
          )
          AND (
            `t39`.`time_us` - IF(CONTAINS(LOWER(`t39`.`channel`), 'sysmon'), `t39`.`c_skew`, 0)
          ) >= (
            `t39`.`c_sec` - 120000000
          )
      ) AS `t44`
      LEFT ANTI JOIN (
        SELECT DISTINCT
          `t45`.`creation_key` AS `d_creation`,
          `t45`.`event_key` AS `d_key`
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
            `t44`.`telemetry`,
            `t44`.`surely_before`,
            `t44`.`in_window`,
            `t16`.`e_host`,
            `t16`.`e_pid`,
            `t16`.`e_guid`,
            `t16`.`e_time`,
            `t16`.`e_channel`,
            `t16`.`e_record`
          FROM (
            SELECT
              `t39`.`creation_key`,
              `t39`.`c_host`,
              `t39`.`c_time`,
              `t39`.`c_logon`,
              `t39`.`c_channel`,
              `t39`.`c_record`,
              `t39`.`c_name`,
              `t39`.`c_skew`,
              `t39`.`c_tol`,
              `t39`.`c_sec`,
              `t39`.`event_key`,
              `t39`.`host`,
              `t39`.`host_name`,
              `t39`.`time_us`,
              `t39`.`record_id`,
              `t39`.`event_id`,
              `t39`.`channel`,
              `t39`.`file`,
              `t39`.`sha256`,
              `t39`.`pid`,
              `t39`.`parent_pid`,
              `t39`.`logon_id`,
              `t39`.`image`,
              `t39`.`command_line`,
              `t39`.`parent_image`,
              `t39`.`parent_command_line`,
              `t39`.`process_guid`,
              `t39`.`parent_process_guid`,
              `t39`.`user_sid`,
              `t39`.`user_name`,
              `t39`.`user_domain`,
              `t39`.`integrity`,
              `t39`.`telemetry`,
              (
                (
                  `t39`.`channel` = `t39`.`c_channel`
                )
                AND (
                  NOT `t39`.`record_id` IS NULL
                )
                AND (
                  NOT `t39`.`c_record` IS NULL
                )
                AND (
                  `t39`.`record_id` < `t39`.`c_record`
                )
              )
              OR (
                NOT (
                  (
                    `t39`.`channel` = `t39`.`c_channel`
                  )
                  AND (
                    NOT `t39`.`record_id` IS NULL
                  )
                  AND (
                    NOT `t39`.`c_record` IS NULL
                  )
                )
                AND (
                  (
                    `t39`.`time_us` - IF(CONTAINS(LOWER(`t39`.`channel`), 'sysmon'), `t39`.`c_skew`, 0)
                  ) < (
                    `t39`.`c_sec` - `t39`.`c_tol`
                  )
                )
              ) AS `surely_before`,
              (
                `t39`.`time_us` - IF(CONTAINS(LOWER(`t39`.`channel`), 'sysmon'), `t39`.`c_skew`, 0)
              ) >= (
                `t39`.`c_sec` - 120000000
              ) AS `in_window`
            FROM (
              SELECT
                `t37`.`creation_key`,
                `t37`.`c_host`,
                `t37`.`c_time`,
                `t37`.`c_logon`,
                `t37`.`c_channel`,
                `t37`.`c_record`,
                `t37`.`c_name`,
                `t37`.`c_skew`,
                `t37`.`c_tol`,
                `t37`.`c_sec`,
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
                  `t35`.`creation_key`,
                  `t35`.`c_host`,
                  `t35`.`c_time`,
                  `t35`.`c_logon`,
                  `t35`.`c_channel`,
                  `t35`.`c_record`,
                  `t35`.`c_name`,
                  COALESCE(`t35`.`k_skew`, 0) AS `c_skew`,
                  COALESCE(`t35`.`k_tol`, 5000000) AS `c_tol`,
                  `t35`.`c_time` - IF(CONTAINS(LOWER(`t35`.`c_channel`), 'sysmon'), COALESCE(`t35`.`k_skew`, 0), 0) AS `c_sec`
                FROM (
                  SELECT
                    `t17`.`creation_key`,
                    `t17`.`c_host`,
                    `t17`.`c_time`,
                    `t17`.`c_logon`,
                    `t17`.`c_channel`,
                    `t17`.`c_record`,
                    `t17`.`c_name`,
                    `t33`.`k_host`,
                    `t33`.`k_skew`,
                    `t33`.`k_tol`
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
                      `t28`.`host` AS `k_host`,
                      IF(`t28`.`pairs` >= 3, `t28`.`median_us`, 0) AS `k_skew`,
                      IF(
                        `t28`.`pairs` >= 3,
                        LEAST((
                          `t28`.`high_us` - `t28`.`low_us`
                        ) + 10000, 5000000),
                        5000000
                      ) AS `k_tol`
                    FROM (
                      SELECT
                        `t26`.`host`,
                        COUNT(*) AS `pairs`,
                        CAST(PERCENTILE_APPROX(`t26`.`delta_us`, 0.5) AS BIGINT) AS `median_us`,
                        MIN(`t26`.`delta_us`) AS `low_us`,
                        MAX(`t26`.`delta_us`) AS `high_us`
                      FROM (
                        SELECT
                          `t25`.`host`,
                          `t25`.`delta_us`
                        FROM (
                          SELECT
                            `t22`.`event_key`,
                            `t22`.`host`,
                            `t22`.`host_name`,
                            `t22`.`time_us`,
                            `t22`.`record_id`,
                            `t22`.`event_id`,
                            `t22`.`channel`,
                            `t22`.`file`,
                            `t22`.`sha256`,
                            `t22`.`pid`,
                            `t22`.`parent_pid`,
                            `t22`.`logon_id`,
                            `t22`.`image`,
                            `t22`.`command_line`,
                            `t22`.`parent_image`,
                            `t22`.`parent_command_line`,
                            `t22`.`process_guid`,
                            `t22`.`parent_process_guid`,
                            `t22`.`user_sid`,
                            `t22`.`user_name`,
                            `t22`.`user_domain`,
                            `t22`.`integrity`,
                            `t22`.`telemetry`,
                            `t22`.`p_host`,
                            `t22`.`p_pid`,
                            `t22`.`p_image`,
                            `t22`.`p_time`,
                            `t22`.`p_key`,
                            `t22`.`delta_us`,
                            ROW_NUMBER() OVER (
                              PARTITION BY `t22`.`event_key`
                              ORDER BY ABS(`t22`.`delta_us`) ASC NULLS LAST, `t22`.`p_key` ASC NULLS LAST
                            ) - 1 AS `_rank`
                          FROM (
                            SELECT
                              `t21`.`event_key`,
                              `t21`.`host`,
                              `t21`.`host_name`,
                              `t21`.`time_us`,
                              `t21`.`record_id`,
                              `t21`.`event_id`,
                              `t21`.`channel`,
                              `t21`.`file`,
                              `t21`.`sha256`,
                              `t21`.`pid`,
                              `t21`.`parent_pid`,
                              `t21`.`logon_id`,
                              `t21`.`image`,
                              `t21`.`command_line`,
                              `t21`.`parent_image`,
                              `t21`.`parent_command_line`,
                              `t21`.`process_guid`,
                              `t21`.`parent_process_guid`,
                              `t21`.`user_sid`,
                              `t21`.`user_name`,
                              `t21`.`user_domain`,
                              `t21`.`integrity`,
                              `t21`.`telemetry`,
                              `t21`.`p_host`,
                              `t21`.`p_pid`,
                              `t21`.`p_image`,
                              `t21`.`p_time`,
                              `t21`.`p_key`,
                              `t21`.`time_us` - `t21`.`p_time` AS `delta_us`
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
                            ) AS `t21`
                          ) AS `t22`
                        ) AS `t25`
                        WHERE
                          `t25`.`_rank` = 0
                      ) AS `t26`
                      GROUP BY
                        1
                    ) AS `t28`
                  ) AS `t33`
                    ON `t17`.`c_host` = `t33`.`k_host`
                ) AS `t35`
              ) AS `t37`
              INNER JOIN `process` AS `t4`
                ON `t37`.`c_host` = `t4`.`host`
                AND `t37`.`c_logon` IS NULL
                AND `t4`.`time_us` >= (
                  (
                    `t37`.`c_time` - 120000000
                  ) - (
                    ABS(`t37`.`c_skew`) + `t37`.`c_tol`
                  )
                )
                AND `t4`.`time_us` <= (
                  `t37`.`c_time` + (
                    ABS(`t37`.`c_skew`) + `t37`.`c_tol`
                  )
                )
                AND CONTAINS(LOWER(`t4`.`command_line`), `t37`.`c_name`)
            ) AS `t39`
            WHERE
              (
                (
                  (
                    `t39`.`channel` = `t39`.`c_channel`
                  )
                  AND (
                    NOT `t39`.`record_id` IS NULL
                  )
                  AND (
                    NOT `t39`.`c_record` IS NULL
                  )
                  AND (
                    `t39`.`record_id` < `t39`.`c_record`
                  )
                )
                OR (
                  NOT (
                    (
                      `t39`.`channel` = `t39`.`c_channel`
                    )
                    AND (
                      NOT `t39`.`record_id` IS NULL
                    )
                    AND (
                      NOT `t39`.`c_record` IS NULL
                    )
                  )
                  AND (
                    (
                      `t39`.`time_us` - IF(CONTAINS(LOWER(`t39`.`channel`), 'sysmon'), `t39`.`c_skew`, 0)
                    ) <= (
                      `t39`.`c_sec` + `t39`.`c_tol`
                    )
                  )
                )
              )
              AND (
                `t39`.`time_us` - IF(CONTAINS(LOWER(`t39`.`channel`), 'sysmon'), `t39`.`c_skew`, 0)
              ) >= (
                `t39`.`c_sec` - 120000000
              )
          ) AS `t44`
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
            ON `t44`.`host` = `t16`.`e_host`
            AND `t44`.`pid` = `t16`.`e_pid`
            AND (
              (
                `t44`.`process_guid` IS NULL
              )
              OR (
                `t16`.`e_guid` IS NULL
              )
              OR (
                `t44`.`process_guid` = `t16`.`e_guid`
              )
            )
            AND `t16`.`e_time` >= `t44`.`time_us`
        ) AS `t45`
        WHERE
          (
            (
              `t45`.`e_channel` = `t45`.`c_channel`
            )
            AND (
              NOT `t45`.`e_record` IS NULL
            )
            AND (
              NOT `t45`.`c_record` IS NULL
            )
            AND (
              `t45`.`e_record` < `t45`.`c_record`
            )
          )
          OR (
            NOT (
              (
                `t45`.`e_channel` = `t45`.`c_channel`
              )
              AND (
                NOT `t45`.`e_record` IS NULL
              )
              AND (
                NOT `t45`.`c_record` IS NULL
              )
            )
            AND (
              (
                `t45`.`e_time` - IF(CONTAINS(LOWER(`t45`.`e_channel`), 'sysmon'), `t45`.`c_skew`, 0)
              ) < (
                `t45`.`c_sec` - `t45`.`c_tol`
              )
            )
          )
      ) AS `t47`
        ON `t44`.`creation_key` = `t47`.`d_creation` AND `t44`.`event_key` = `t47`.`d_key`
    ) AS `t50`
  ) AS `t51`
)
SELECT
  `t77`.`creation_key`,
  `t77`.`creation_time_us`,
  `t77`.`host`,
  `t77`.`host_name`,
  `t77`.`account_sid`,
  `t77`.`account_name`,
  `t77`.`account_domain`,
  `t77`.`creator_sid`,
  `t77`.`creator_name`,
  `t77`.`creator_domain`,
  `t77`.`creator_logon_id`,
  `t77`.`process_key`,
  `t77`.`process_time_us`,
  `t77`.`telemetry`,
  `t77`.`in_window`,
  `t77`.`pid`,
  `t77`.`parent_pid`,
  `t77`.`logon_id`,
  `t77`.`image`,
  `t77`.`command_line`,
  `t77`.`parent_key`,
  `t77`.`parent_image`,
  IF(
    TRUE
    AND (
      FALSE
      OR (
        TRUE
        AND COALESCE(LOWER(`t77`.`creator_domain`) RLIKE '^corp$', FALSE)
        AND COALESCE(LOWER(`t77`.`creator_name`) RLIKE '^svc\\-provision$', FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(LOWER(`t77`.`host_name`) RLIKE '^dc.*$', FALSE)
      )
      OR (
        TRUE AND COALESCE(LOWER(`t77`.`host_name`) RLIKE '^dc.*\\..*$', FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(LOWER(`t77`.`image`) RLIKE '^powershell\\.exe$', FALSE)
      )
      OR (
        TRUE AND COALESCE(LOWER(`t77`.`image`) RLIKE '^.*\\\\powershell\\.exe$', FALSE)
      )
    )
    AND (
      FALSE
      OR (
        TRUE AND COALESCE(LOWER(`t77`.`account_name`) RLIKE '^[a-z].*$', FALSE)
      )
    )
    AND (
      `t77`.`creation_time_us` >= 1704067200000000
    ),
    'hr-onboarding-feed',
    IF(
      TRUE
      AND (
        FALSE
        OR (
          TRUE
          AND COALESCE(LOWER(`t77`.`creator_domain`) RLIKE '^corp$', FALSE)
          AND COALESCE(LOWER(`t77`.`creator_name`) RLIKE '^helpdesk1$', FALSE)
        )
        OR (
          TRUE
          AND COALESCE(LOWER(`t77`.`creator_domain`) RLIKE '^corp$', FALSE)
          AND COALESCE(LOWER(`t77`.`creator_name`) RLIKE '^helpdesk2$', FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(LOWER(`t77`.`host_name`) RLIKE '^dc.*$', FALSE)
        )
        OR (
          TRUE AND COALESCE(LOWER(`t77`.`host_name`) RLIKE '^dc.*\\..*$', FALSE)
        )
      )
      AND (
        FALSE
        OR (
          TRUE AND COALESCE(LOWER(`t77`.`image`) RLIKE '^mmc\\.exe$', FALSE)
        )
        OR (
          TRUE AND COALESCE(LOWER(`t77`.`image`) RLIKE '^.*\\\\mmc\\.exe$', FALSE)
        )
      ),
      'helpdesk-aduc',
      CAST(NULL AS STRING)
    )
  ) AS `approved_by`
FROM (
  SELECT
    `t59`.`creation_key`,
    `t59`.`c_time` AS `creation_time_us`,
    `t59`.`host`,
    `t59`.`host_name`,
    `t10`.`account_sid`,
    `t10`.`account_name`,
    `t10`.`account_domain`,
    `t10`.`creator_sid`,
    `t10`.`creator_name`,
    `t10`.`creator_domain`,
    `t10`.`creator_logon_id`,
    `t59`.`event_key` AS `process_key`,
    `t59`.`time_us` AS `process_time_us`,
    `t59`.`telemetry`,
    `t59`.`in_window`,
    `t59`.`pid`,
    `t59`.`parent_pid`,
    `t59`.`logon_id`,
    `t59`.`image`,
    `t59`.`command_line`,
    `t76`.`parent_key`,
    COALESCE(`t76`.`p_image`, `t59`.`parent_image`) AS `parent_image`
  FROM `t57` AS `t59`
  LEFT OUTER JOIN (
    SELECT
      `t74`.`lineage_of` AS `p_of`,
      `t74`.`event_key` AS `parent_key`,
      `t74`.`image` AS `p_image`
    FROM (
      SELECT
        `t61`.`lineage_of`,
        `t61`.`child_key`,
        `t61`.`child_host`,
        `t61`.`child_time`,
        `t61`.`child_parent_pid`,
        `t61`.`child_parent_guid`,
        `t61`.`child_parent_image`,
        `t61`.`depth`,
        `t73`.`b_of`,
        `t73`.`b_child`,
        `t73`.`b_key`,
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
          `t58`.`event_key` AS `lineage_of`,
          `t58`.`event_key` AS `child_key`,
          `t58`.`host` AS `child_host`,
          `t58`.`time_us` AS `child_time`,
          `t58`.`parent_pid` AS `child_parent_pid`,
          `t58`.`parent_process_guid` AS `child_parent_guid`,
          `t58`.`parent_image` AS `child_parent_image`,
          0 AS `depth`
        FROM `t57` AS `t58`
      ) AS `t61`
      INNER JOIN (
        SELECT
          `t71`.`lineage_of` AS `b_of`,
          `t71`.`child_key` AS `b_child`,
          `t71`.`k_key` AS `b_key`
        FROM (
          SELECT
            `t70`.`lineage_of`,
            `t70`.`child_key`,
            `t70`.`k_key`,
            `t70`.`k_time`,
            `t70`.`_by`,
            ROW_NUMBER() OVER (
              PARTITION BY `t70`.`lineage_of`, `t70`.`child_key`
              ORDER BY `t70`.`_by` ASC NULLS LAST, `t70`.`k_time` DESC, `t70`.`k_key` ASC NULLS LAST
            ) - 1 AS `_rank`
          FROM (
            SELECT
              *
            FROM (
              SELECT
                `t61`.`lineage_of`,
                `t61`.`child_key`,
                `t18`.`k_key`,
                `t18`.`k_time`,
                0 AS `_by`
              FROM (
                SELECT DISTINCT
                  `t58`.`event_key` AS `lineage_of`,
                  `t58`.`event_key` AS `child_key`,
                  `t58`.`host` AS `child_host`,
                  `t58`.`time_us` AS `child_time`,
                  `t58`.`parent_pid` AS `child_parent_pid`,
                  `t58`.`parent_process_guid` AS `child_parent_guid`,
                  `t58`.`parent_image` AS `child_parent_image`,
                  0 AS `depth`
                FROM `t57` AS `t58`
              ) AS `t61`
              INNER JOIN (
                SELECT
                  `t1`.`event_key` AS `k_key`,
                  `t1`.`host` AS `k_host`,
                  `t1`.`pid` AS `k_pid`,
                  `t1`.`process_guid` AS `k_guid`,
                  `t1`.`time_us` AS `k_time`,
                  LOWER(`t1`.`image`) AS `k_image`
                FROM `process` AS `t1`
              ) AS `t18`
                ON `t61`.`child_host` = `t18`.`k_host`
                AND `t61`.`child_parent_guid` = `t18`.`k_guid`
            ) AS `t63`
            UNION ALL
            SELECT
              *
            FROM (
              SELECT
                `t68`.`lineage_of`,
                `t68`.`child_key`,
                `t18`.`k_key`,
                `t18`.`k_time`,
                1 AS `_by`
              FROM (
                SELECT
                  `t66`.`lineage_of`,
                  `t66`.`child_key`,
                  `t66`.`child_host`,
                  `t66`.`child_time`,
                  `t66`.`child_parent_pid`,
                  `t66`.`child_parent_guid`,
                  `t66`.`child_parent_image`,
                  `t66`.`depth`,
                  `t66`.`last_end`
                FROM (
                  SELECT
                    `t61`.`lineage_of`,
                    `t61`.`child_key`,
                    `t61`.`child_host`,
                    `t61`.`child_time`,
                    `t61`.`child_parent_pid`,
                    `t61`.`child_parent_guid`,
                    `t61`.`child_parent_image`,
                    `t61`.`depth`,
                    `t65`.`l_of`,
                    `t65`.`l_child`,
                    `t65`.`last_end`
                  FROM (
                    SELECT DISTINCT
                      `t58`.`event_key` AS `lineage_of`,
                      `t58`.`event_key` AS `child_key`,
                      `t58`.`host` AS `child_host`,
                      `t58`.`time_us` AS `child_time`,
                      `t58`.`parent_pid` AS `child_parent_pid`,
                      `t58`.`parent_process_guid` AS `child_parent_guid`,
                      `t58`.`parent_image` AS `child_parent_image`,
                      0 AS `depth`
                    FROM `t57` AS `t58`
                  ) AS `t61`
                  LEFT OUTER JOIN (
                    SELECT
                      `t62`.`lineage_of` AS `l_of`,
                      `t62`.`child_key` AS `l_child`,
                      MAX(`t62`.`e_time`) AS `last_end`
                    FROM (
                      SELECT
                        `t61`.`lineage_of`,
                        `t61`.`child_key`,
                        `t61`.`child_host`,
                        `t61`.`child_time`,
                        `t61`.`child_parent_pid`,
                        `t61`.`child_parent_guid`,
                        `t61`.`child_parent_image`,
                        `t61`.`depth`,
                        `t15`.`e_host`,
                        `t15`.`e_pid`,
                        `t15`.`e_time`
                      FROM (
                        SELECT DISTINCT
                          `t58`.`event_key` AS `lineage_of`,
                          `t58`.`event_key` AS `child_key`,
                          `t58`.`host` AS `child_host`,
                          `t58`.`time_us` AS `child_time`,
                          `t58`.`parent_pid` AS `child_parent_pid`,
                          `t58`.`parent_process_guid` AS `child_parent_guid`,
                          `t58`.`parent_image` AS `child_parent_image`,
                          0 AS `depth`
                        FROM `t57` AS `t58`
                      ) AS `t61`
                      INNER JOIN (
                        SELECT
                          `t2`.`host` AS `e_host`,
                          `t2`.`pid` AS `e_pid`,
                          `t2`.`time_us` AS `e_time`
                        FROM `process_end` AS `t2`
                      ) AS `t15`
                        ON `t61`.`child_host` = `t15`.`e_host`
                        AND `t61`.`child_parent_pid` = `t15`.`e_pid`
                        AND `t15`.`e_time` < `t61`.`child_time`
                    ) AS `t62`
                    GROUP BY
                      1,
                      2
                  ) AS `t65`
                    ON `t61`.`lineage_of` = `t65`.`l_of` AND `t61`.`child_key` = `t65`.`l_child`
                ) AS `t66`
              ) AS `t68`
              INNER JOIN (
                SELECT
                  `t1`.`event_key` AS `k_key`,
                  `t1`.`host` AS `k_host`,
                  `t1`.`pid` AS `k_pid`,
                  `t1`.`process_guid` AS `k_guid`,
                  `t1`.`time_us` AS `k_time`,
                  LOWER(`t1`.`image`) AS `k_image`
                FROM `process` AS `t1`
              ) AS `t18`
                ON `t68`.`child_host` = `t18`.`k_host`
                AND `t68`.`child_parent_pid` = `t18`.`k_pid`
                AND `t18`.`k_time` <= `t68`.`child_time`
                AND (
                  (
                    `t68`.`last_end` IS NULL
                  ) OR (
                    `t18`.`k_time` > `t68`.`last_end`
                  )
                )
                AND `t18`.`k_key` <> `t68`.`child_key`
                AND (
                  (
                    `t68`.`child_parent_image` IS NULL
                  )
                  OR (
                    LOWER(`t68`.`child_parent_image`) = `t18`.`k_image`
                  )
                )
            ) AS `t69`
          ) AS `t70`
        ) AS `t71`
        WHERE
          `t71`.`_rank` = 0
      ) AS `t73`
        ON `t61`.`lineage_of` = `t73`.`b_of` AND `t61`.`child_key` = `t73`.`b_child`
      INNER JOIN `process` AS `t3`
        ON `t73`.`b_key` = `t3`.`event_key`
    ) AS `t74`
  ) AS `t76`
    ON `t59`.`event_key` = `t76`.`p_of`
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
    ON `t59`.`creation_key` = `t10`.`creation_key`
) AS `t77`;
