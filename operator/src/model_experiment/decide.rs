//! Pure: what an experiment does next, from its policy, its progress so far, what a person
//! asked for, the measurements of this interval and the time. No I/O: the controller reads
//! the inputs, calls [`decide`], and carries the returned [`Decision`] out.
//!
//! The rules, in order:
//! 1. A finished experiment (promoted, rolled back, failed) stays finished until its spec
//!    changes; a changed spec starts a new analysis.
//! 2. An abort rolls back, at any phase.
//! 3. A candidate version that does not exist fails the experiment before any traffic.
//! 4. A spec changed mid-analysis restarts it at the first step, counters cleared: the
//!    numbers measured so far were about another experiment.
//! 5. Before the interval since the last change has passed, nothing is judged.
//! 6. A failed check counts; at the threshold, roll back. Any failure outweighs every pass.
//! 7. A query error or outage is inconclusive, never a pass: hold. Missing data follows the
//!    no-data policy (hold, fail, or inconclusive). With a limit, that many inconclusive
//!    checks in a row pause the experiment for a person.
//! 8. All pass: step to the next weight; at the last, promote (auto) or pause for approval
//!    (manual). An approval promotes only once every check of the interval passes: no
//!    person's word turns missing data into a promotion.

/// What the spec says about judging and stepping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Candidate weights in percent, ascending, each 1..=100; the last is where promotion
    /// is decided.
    pub steps: Vec<u8>,
    /// Failed checks that roll back (at least 1).
    pub threshold: u32,
    /// Seconds between judgements.
    pub interval_seconds: i64,
    pub no_data: NoData,
    pub promotion: Promotion,
}

/// What a measurement without enough samples counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoData {
    /// Wait for data; nothing counts.
    Hold,
    /// A failed check.
    Fail,
    /// An inconclusive check; `limit` of them in a row pause for a person (`None`: never).
    Inconclusive { limit: Option<u32> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Promotion {
    Auto,
    Manual,
}

/// A person's word on the experiment (a spec field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    Promote,
    Abort,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Pending,
    Progressing,
    Paused,
    Promoted,
    RolledBack,
    Failed,
}

impl Phase {
    fn finished(self) -> bool {
        matches!(self, Self::Promoted | Self::RolledBack | Self::Failed)
    }
}

/// Where the experiment stands (its status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub phase: Phase,
    /// The candidate's weight now, in percent.
    pub weight: u8,
    pub failed_checks: u32,
    /// Inconclusive checks in a row.
    pub inconclusive_checks: u32,
    /// The spec generation the analysis under way belongs to.
    pub generation: i64,
    /// Unix seconds of the last step, start or restart.
    pub since: i64,
}

/// One metric's verdict for this interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    /// Fewer samples than the minimum.
    NoData,
    /// The query failed or Prometheus did not answer.
    Error,
}

/// What is known now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs<'a> {
    /// The spec's `metadata.generation`.
    pub generation: i64,
    pub approval: Option<Approval>,
    /// Whether the candidate model version exists (in the worker image, or its own image).
    pub candidate_exists: bool,
    /// This interval's verdicts, one per metric; empty when none were taken.
    pub measurements: &'a [Outcome],
    /// Unix seconds.
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing to do before `at` (unix seconds).
    WaitUntil { at: i64 },
    /// Begin (or begin again) the analysis with the candidate at `weight`.
    Start { weight: u8 },
    /// Stay at the weight; `reason` says why.
    Hold { reason: String },
    /// Send the candidate `weight` percent.
    Step { weight: u8 },
    /// Stop stepping until a person approves or aborts.
    Pause { reason: String },
    /// Make the candidate the serving model and remove the baseline variant.
    Promote,
    /// Send everything to the baseline and remove the candidate.
    RollBack { reason: String },
    /// Refuse the experiment without sending the candidate any traffic.
    Fail { reason: String },
    /// Finished: nothing more to do.
    Done,
}

/// The action and the progress it leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub action: Action,
    pub progress: Progress,
}

pub fn decide(policy: &Policy, progress: &Progress, inputs: &Inputs<'_>) -> Decision {
    let first = policy.steps.first().copied().unwrap_or(100);
    let start = |phase| Progress {
        phase,
        weight: first,
        failed_checks: 0,
        inconclusive_checks: 0,
        generation: inputs.generation,
        since: inputs.now,
    };
    let spec_changed = inputs.generation != progress.generation;
    if progress.phase.finished() && !spec_changed {
        return decision(Action::Done, progress.clone());
    }
    let running = !progress.phase.finished() && progress.phase != Phase::Pending;
    if inputs.approval == Some(Approval::Abort) && running {
        let reason = "aborted: spec.approval is Abort".to_owned();
        return finish(progress, Phase::RolledBack, Action::RollBack { reason });
    }
    if !inputs.candidate_exists {
        let reason = "the candidate model version does not exist".to_owned();
        let mut failed = progress.clone();
        failed.generation = inputs.generation;
        return finish(&failed, Phase::Failed, Action::Fail { reason });
    }
    if progress.phase == Phase::Pending || spec_changed {
        if inputs.approval == Some(Approval::Abort) {
            let reason = "aborted before it started: spec.approval is Abort".to_owned();
            let mut aborted = start(Phase::RolledBack);
            aborted.weight = 0;
            return decision(Action::RollBack { reason }, aborted);
        }
        return decision(Action::Start { weight: first }, start(Phase::Progressing));
    }
    let due = progress.since + policy.interval_seconds;
    if inputs.now < due {
        return decision(Action::WaitUntil { at: due }, progress.clone());
    }
    judge(policy, progress, inputs)
}

/// Rules 6 to 8: the interval has passed and the analysis is current.
fn judge(policy: &Policy, progress: &Progress, inputs: &Inputs<'_>) -> Decision {
    let mut next = progress.clone();
    next.since = inputs.now;
    let has = |o: Outcome| inputs.measurements.contains(&o);
    let no_data = has(Outcome::NoData) || inputs.measurements.is_empty();
    let failed = has(Outcome::Fail) || (no_data && policy.no_data == NoData::Fail);
    if failed {
        next.failed_checks += 1;
        next.inconclusive_checks = 0;
        if next.failed_checks >= policy.threshold.max(1) {
            let reason = format!(
                "{} failed checks reached the threshold of {}",
                next.failed_checks, policy.threshold
            );
            return finish(&next, Phase::RolledBack, Action::RollBack { reason });
        }
        let reason = format!(
            "check failed ({} of {} before rollback)",
            next.failed_checks, policy.threshold
        );
        return decision(Action::Hold { reason }, next);
    }
    if has(Outcome::Error) || no_data {
        let what = if has(Outcome::Error) {
            "a query failed or Prometheus did not answer"
        } else {
            "not enough samples"
        };
        let counts = has(Outcome::Error) || matches!(policy.no_data, NoData::Inconclusive { .. });
        if !counts {
            return decision(
                Action::Hold {
                    reason: format!("{what}: waiting for data"),
                },
                next,
            );
        }
        next.inconclusive_checks += 1;
        if let NoData::Inconclusive { limit: Some(limit) } = policy.no_data
            && next.inconclusive_checks >= limit
            && next.phase != Phase::Paused
        {
            next.phase = Phase::Paused;
            let reason = format!(
                "{} inconclusive checks in a row ({what}): it waits for data; abort to roll back",
                next.inconclusive_checks
            );
            return decision(Action::Pause { reason }, next);
        }
        return decision(
            Action::Hold {
                reason: format!("inconclusive: {what}"),
            },
            next,
        );
    }
    // Every metric passed.
    next.inconclusive_checks = 0;
    if let Some(&weight) = policy.steps.iter().find(|&&w| w > progress.weight) {
        next.phase = Phase::Progressing;
        next.weight = weight;
        return decision(Action::Step { weight }, next);
    }
    if policy.promotion == Promotion::Auto || inputs.approval == Some(Approval::Promote) {
        return finish(&next, Phase::Promoted, Action::Promote);
    }
    if next.phase == Phase::Paused {
        let reason = "waiting for approval: set spec.approval to Promote or Abort".to_owned();
        return decision(Action::Hold { reason }, next);
    }
    next.phase = Phase::Paused;
    let reason =
        "every check passed at the last step: set spec.approval to Promote or Abort".to_owned();
    decision(Action::Pause { reason }, next)
}

fn decision(action: Action, progress: Progress) -> Decision {
    Decision { action, progress }
}

/// A finished phase: weight 100 after a promotion, 0 otherwise.
fn finish(progress: &Progress, phase: Phase, action: Action) -> Decision {
    let weight = if phase == Phase::Promoted { 100 } else { 0 };
    decision(
        action,
        Progress {
            phase,
            weight,
            ..progress.clone()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000;

    fn policy() -> Policy {
        Policy {
            steps: vec![10, 25, 50],
            threshold: 2,
            interval_seconds: 60,
            no_data: NoData::Hold,
            promotion: Promotion::Auto,
        }
    }

    fn at(phase: Phase, weight: u8) -> Progress {
        Progress {
            phase,
            weight,
            failed_checks: 0,
            inconclusive_checks: 0,
            generation: 1,
            since: T0,
        }
    }

    /// Inputs one interval after `T0`, same generation, the candidate present.
    fn measured(measurements: &[Outcome]) -> Inputs<'_> {
        Inputs {
            generation: 1,
            approval: None,
            candidate_exists: true,
            measurements,
            now: T0 + 60,
        }
    }

    fn hold(d: &Decision) -> bool {
        matches!(d.action, Action::Hold { .. })
    }

    #[test]
    fn each_outcome_at_each_phase() {
        use Outcome::{Error, Fail, NoData as Missing, Pass};
        // (phase, weight, outcome) → expected action, for the default policy.
        let table: [(Phase, u8, Outcome, Action); 12] = [
            (Phase::Pending, 0, Pass, Action::Start { weight: 10 }),
            (Phase::Pending, 0, Fail, Action::Start { weight: 10 }),
            (Phase::Pending, 0, Missing, Action::Start { weight: 10 }),
            (Phase::Pending, 0, Error, Action::Start { weight: 10 }),
            (Phase::Progressing, 10, Pass, Action::Step { weight: 25 }),
            (Phase::Progressing, 50, Pass, Action::Promote),
            (
                Phase::Progressing,
                25,
                Fail,
                Action::Hold {
                    reason: "check failed (1 of 2 before rollback)".into(),
                },
            ),
            (
                Phase::Progressing,
                25,
                Missing,
                Action::Hold {
                    reason: "not enough samples: waiting for data".into(),
                },
            ),
            (
                Phase::Progressing,
                25,
                Error,
                Action::Hold {
                    reason: "inconclusive: a query failed or Prometheus did not answer".into(),
                },
            ),
            (Phase::Paused, 50, Pass, Action::Promote),
            (
                Phase::Paused,
                50,
                Fail,
                Action::Hold {
                    reason: "check failed (1 of 2 before rollback)".into(),
                },
            ),
            (
                Phase::Paused,
                50,
                Error,
                Action::Hold {
                    reason: "inconclusive: a query failed or Prometheus did not answer".into(),
                },
            ),
        ];
        for (phase, weight, outcome, expected) in table {
            let d = decide(&policy(), &at(phase, weight), &measured(&[outcome]));
            assert_eq!(
                d.action, expected,
                "{phase:?} at {weight}% with {outcome:?}"
            );
        }
        for phase in [Phase::Promoted, Phase::RolledBack, Phase::Failed] {
            for outcome in [Pass, Fail, Missing, Error] {
                let d = decide(&policy(), &at(phase, 0), &measured(&[outcome]));
                assert_eq!(d.action, Action::Done, "{phase:?} with {outcome:?}");
            }
        }
    }

    #[test]
    fn failed_checks_count_up_to_the_threshold_then_roll_back() {
        let one = decide(
            &policy(),
            &at(Phase::Progressing, 25),
            &measured(&[Outcome::Fail]),
        );
        assert!(hold(&one));
        assert_eq!(one.progress.failed_checks, 1);
        assert_eq!(one.progress.weight, 25, "a failure never steps");
        // A pass in between steps on but does not forget the failure.
        let mut after = one.progress.clone();
        let later = |p: &Progress| Inputs {
            now: p.since + 60,
            ..measured(&[Outcome::Pass])
        };
        let passed = decide(&policy(), &after, &later(&after));
        assert_eq!(passed.action, Action::Step { weight: 50 });
        assert_eq!(passed.progress.failed_checks, 1);
        after = passed.progress;
        let failing = Inputs {
            measurements: &[Outcome::Fail],
            ..later(&after)
        };
        let two = decide(&policy(), &after, &failing);
        assert!(
            matches!(two.action, Action::RollBack { ref reason } if reason.contains("2 failed checks"))
        );
        assert_eq!(
            (two.progress.phase, two.progress.weight),
            (Phase::RolledBack, 0)
        );
    }

    #[test]
    fn one_failing_metric_outweighs_every_pass_and_an_error_blocks_a_step() {
        let d = decide(
            &policy(),
            &at(Phase::Progressing, 10),
            &measured(&[Outcome::Pass, Outcome::Fail, Outcome::Pass]),
        );
        assert_eq!(d.progress.failed_checks, 1);
        let d = decide(
            &policy(),
            &at(Phase::Progressing, 10),
            &measured(&[Outcome::Pass, Outcome::Error]),
        );
        assert!(hold(&d), "{d:?}");
        assert_eq!((d.progress.weight, d.progress.inconclusive_checks), (10, 1));
    }

    #[test]
    fn no_data_follows_its_policy() {
        let with = |no_data| Policy {
            no_data,
            ..policy()
        };
        let missing = [Outcome::NoData];
        let progressing = at(Phase::Progressing, 25);

        let d = decide(&with(NoData::Hold), &progressing, &measured(&missing));
        assert!(hold(&d));
        assert_eq!(
            (d.progress.failed_checks, d.progress.inconclusive_checks),
            (0, 0)
        );

        let d = decide(&with(NoData::Fail), &progressing, &measured(&missing));
        assert_eq!(d.progress.failed_checks, 1);
        let d = decide(&with(NoData::Fail), &progressing, &measured(&[]));
        assert_eq!(
            d.progress.failed_checks, 1,
            "no measurement at all is no data"
        );

        let limited = with(NoData::Inconclusive { limit: Some(2) });
        let first = decide(&limited, &progressing, &measured(&missing));
        assert!(hold(&first));
        assert_eq!(first.progress.inconclusive_checks, 1);
        let inputs = Inputs {
            now: first.progress.since + 60,
            ..measured(&missing)
        };
        let second = decide(&limited, &first.progress, &inputs);
        assert!(matches!(second.action, Action::Pause { .. }), "{second:?}");
        assert_eq!(second.progress.phase, Phase::Paused);
        // Paused for want of data, an approval does not promote: only data does.
        let approved = Inputs {
            approval: Some(Approval::Promote),
            now: second.progress.since + 60,
            ..measured(&missing)
        };
        let third = decide(&limited, &second.progress, &approved);
        assert!(hold(&third), "{third:?}");
        let data = Inputs {
            measurements: &[Outcome::Pass],
            now: third.progress.since + 60,
            ..approved
        };
        let back = decide(&limited, &third.progress, &data);
        assert_eq!(back.action, Action::Step { weight: 50 });
        assert_eq!(
            (back.progress.phase, back.progress.inconclusive_checks),
            (Phase::Progressing, 0)
        );

        let unlimited = with(NoData::Inconclusive { limit: None });
        let mut progress = progressing;
        for _ in 0..10 {
            let inputs = Inputs {
                now: progress.since + 60,
                ..measured(&missing)
            };
            let d = decide(&unlimited, &progress, &inputs);
            assert!(hold(&d));
            progress = d.progress;
        }
        assert_eq!(progress.inconclusive_checks, 10);
    }

    #[test]
    fn nothing_is_judged_before_the_interval_has_passed() {
        let early = Inputs {
            now: T0 + 59,
            ..measured(&[Outcome::Fail])
        };
        let d = decide(&policy(), &at(Phase::Progressing, 25), &early);
        assert_eq!(d.action, Action::WaitUntil { at: T0 + 60 });
        assert_eq!(d.progress, at(Phase::Progressing, 25));
    }

    #[test]
    fn a_spec_change_mid_analysis_restarts_it_with_counters_cleared() {
        for phase in [
            Phase::Progressing,
            Phase::Paused,
            Phase::Promoted,
            Phase::RolledBack,
        ] {
            let mut progress = at(phase, 50);
            progress.failed_checks = 1;
            progress.inconclusive_checks = 3;
            let changed = Inputs {
                generation: 2,
                now: T0 + 5,
                ..measured(&[Outcome::Pass])
            };
            let d = decide(&policy(), &progress, &changed);
            assert_eq!(d.action, Action::Start { weight: 10 }, "{phase:?}");
            assert_eq!(
                d.progress,
                Progress {
                    phase: Phase::Progressing,
                    weight: 10,
                    failed_checks: 0,
                    inconclusive_checks: 0,
                    generation: 2,
                    since: T0 + 5,
                },
                "{phase:?}"
            );
        }
    }

    #[test]
    fn manual_promotion_pauses_at_the_last_step_until_approved_or_aborted() {
        let manual = Policy {
            promotion: Promotion::Manual,
            ..policy()
        };
        let paused = decide(
            &manual,
            &at(Phase::Progressing, 50),
            &measured(&[Outcome::Pass]),
        );
        assert!(matches!(paused.action, Action::Pause { .. }));
        assert_eq!(
            (paused.progress.phase, paused.progress.weight),
            (Phase::Paused, 50)
        );
        let next = |approval| Inputs {
            approval,
            now: paused.progress.since + 60,
            ..measured(&[Outcome::Pass])
        };
        let waiting = decide(&manual, &paused.progress, &next(None));
        assert!(hold(&waiting));
        assert_eq!(waiting.progress.phase, Phase::Paused);
        let approved = decide(&manual, &paused.progress, &next(Some(Approval::Promote)));
        assert_eq!(approved.action, Action::Promote);
        assert_eq!(
            (approved.progress.phase, approved.progress.weight),
            (Phase::Promoted, 100)
        );
        // An approval given early does not skip steps.
        let early = Inputs {
            approval: Some(Approval::Promote),
            ..measured(&[Outcome::Pass])
        };
        let step = decide(&manual, &at(Phase::Progressing, 10), &early);
        assert_eq!(step.action, Action::Step { weight: 25 });
        // Abort rolls back at once, even before the interval has passed.
        for phase in [Phase::Progressing, Phase::Paused] {
            let abort = Inputs {
                approval: Some(Approval::Abort),
                now: T0 + 1,
                ..measured(&[])
            };
            let d = decide(&manual, &at(phase, 25), &abort);
            assert!(matches!(d.action, Action::RollBack { .. }), "{phase:?}");
            assert_eq!(
                (d.progress.phase, d.progress.weight),
                (Phase::RolledBack, 0)
            );
        }
        let abort = Inputs {
            approval: Some(Approval::Abort),
            ..measured(&[])
        };
        let d = decide(&manual, &at(Phase::Pending, 0), &abort);
        assert_eq!(
            (d.progress.phase, d.progress.weight),
            (Phase::RolledBack, 0),
            "never started"
        );
    }

    #[test]
    fn a_missing_candidate_fails_before_any_traffic() {
        for phase in [Phase::Pending, Phase::Progressing, Phase::Paused] {
            let missing = Inputs {
                candidate_exists: false,
                ..measured(&[Outcome::Pass])
            };
            let d = decide(&policy(), &at(phase, 25), &missing);
            assert!(
                matches!(d.action, Action::Fail { ref reason } if reason.contains("does not exist")),
                "{phase:?}: {d:?}"
            );
            assert_eq!((d.progress.phase, d.progress.weight), (Phase::Failed, 0));
        }
        let failed = Progress {
            phase: Phase::Failed,
            weight: 0,
            ..at(Phase::Failed, 0)
        };
        let again = decide(
            &policy(),
            &failed,
            &Inputs {
                candidate_exists: false,
                ..measured(&[])
            },
        );
        assert_eq!(again.action, Action::Done, "no hot loop on the same spec");
    }
}
