//! When a new API version may serve: its database migration runs once, as a Job named
//! after the image, and only after that Job succeeds does the API Deployment move to the
//! image. Until then the running version keeps serving (or, on a first install, no API
//! pod starts against an unmigrated database).

/// What the cluster says about the migration Job of the wanted image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState {
    Absent,
    Running,
    Succeeded,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloutInput<'a> {
    /// The API image the spec asks for.
    pub wanted_image: &'a str,
    pub job: JobState,
    /// The image whose migration the status records as done.
    pub migrated_image: Option<&'a str>,
    /// The image the API Deployment runs now, if it exists.
    pub live_image: Option<&'a str>,
    /// Whether PostgreSQL takes connections (always assumed for an external server).
    pub database_ready: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollout {
    /// Keep (or create) the migration Job of the wanted image.
    pub migration_job: bool,
    /// The image the API Deployment runs; `None`: no API Deployment yet.
    pub api_image: Option<String>,
    /// The image to record as migrated.
    pub migrated_image: Option<String>,
    /// What the rollout waits for, for the Progressing condition.
    pub waiting_for: Option<String>,
    /// Why the rollout cannot go on without a person, for the Degraded condition.
    pub failed: Option<String>,
}

/// Pure: the rollout step for this reconcile.
pub fn decide(input: &RolloutInput<'_>, job_name: &str) -> Rollout {
    let wanted = input.wanted_image.to_owned();
    let done = input.job == JobState::Succeeded || input.migrated_image == Some(input.wanted_image);
    if done {
        return Rollout {
            // A finished Job stays until the next version replaces it; it is not re-created
            // once gone, so a migration never runs twice for one image.
            migration_job: input.job != JobState::Absent,
            api_image: Some(wanted.clone()),
            migrated_image: Some(wanted),
            waiting_for: None,
            failed: None,
        };
    }
    let keep_serving = input.live_image.map(str::to_owned);
    let previous = input.migrated_image.map(str::to_owned);
    if !input.database_ready && input.job == JobState::Absent {
        return Rollout {
            migration_job: false,
            api_image: keep_serving,
            migrated_image: previous,
            waiting_for: Some("PostgreSQL to accept connections before migrating".to_owned()),
            failed: None,
        };
    }
    match &input.job {
        JobState::Failed(reason) => Rollout {
            migration_job: true,
            api_image: keep_serving,
            migrated_image: previous,
            waiting_for: None,
            failed: Some(format!(
                "database migration Job {job_name} failed ({reason}); see `kubectl logs job/{job_name}`, \
                 fix the cause, then delete the Job to run it again"
            )),
        },
        _ => Rollout {
            migration_job: true,
            api_image: keep_serving,
            migrated_image: previous,
            waiting_for: Some(format!("database migration Job {job_name} to complete")),
            failed: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(
        job: JobState,
        migrated: Option<&'a str>,
        live: Option<&'a str>,
    ) -> RolloutInput<'a> {
        RolloutInput {
            wanted_image: "api:2",
            job,
            migrated_image: migrated,
            live_image: live,
            database_ready: true,
        }
    }

    #[test]
    fn a_first_install_starts_no_api_pod_before_the_migration_succeeds() {
        let r = decide(&input(JobState::Absent, None, None), "ft-migrate-x");
        assert!(r.migration_job);
        assert_eq!(r.api_image, None);
        assert!(r.waiting_for.unwrap().contains("ft-migrate-x"));

        let r = decide(&input(JobState::Succeeded, None, None), "ft-migrate-x");
        assert_eq!(r.api_image.as_deref(), Some("api:2"));
        assert_eq!(r.migrated_image.as_deref(), Some("api:2"));
    }

    #[test]
    fn an_upgrade_keeps_the_old_version_serving_until_the_new_migration_succeeds() {
        let r = decide(&input(JobState::Running, Some("api:1"), Some("api:1")), "j");
        assert_eq!(r.api_image.as_deref(), Some("api:1"));
        assert_eq!(r.migrated_image.as_deref(), Some("api:1"));
        assert!(r.migration_job);
    }

    #[test]
    fn a_failed_migration_keeps_the_old_version_and_says_how_to_retry() {
        let r = decide(
            &input(
                JobState::Failed("BackoffLimitExceeded".into()),
                Some("api:1"),
                Some("api:1"),
            ),
            "j",
        );
        assert_eq!(r.api_image.as_deref(), Some("api:1"));
        let failed = r.failed.unwrap();
        assert!(
            failed.contains("kubectl logs job/j") && failed.contains("delete the Job"),
            "{failed}"
        );
    }

    #[test]
    fn a_migrated_image_whose_job_is_gone_is_not_migrated_again() {
        let r = decide(&input(JobState::Absent, Some("api:2"), Some("api:2")), "j");
        assert!(!r.migration_job);
        assert_eq!(r.api_image.as_deref(), Some("api:2"));
    }

    #[test]
    fn the_migration_waits_for_the_database() {
        let mut i = input(JobState::Absent, None, None);
        i.database_ready = false;
        let r = decide(&i, "j");
        assert!(!r.migration_job);
        assert!(r.waiting_for.unwrap().contains("PostgreSQL"));
    }
}
