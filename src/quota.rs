//! Quotas on the scenario's own terms, the one solver-side home of who
//! counts towards a quota and how a quota is named; `explain` and the
//! exports use it. The checker (`check/`) keeps its own independent copy,
//! and the compiled problem encodes the same rule as per-pair quota masks.

use crate::scenario::{Quota, Volunteer};

/// Whether volunteer `vol` counts towards quota `q`: has its skill, or
/// speaks its language at its level or above.
pub fn qualifies(q: &Quota, vol: &Volunteer) -> bool {
    match (&q.skill, &q.language) {
        (Some(k), _) => vol.skills.contains(k),
        (None, Some(l)) => vol
            .languages
            .get(l)
            .is_some_and(|&lv| lv >= q.level_or_default()),
        _ => false,
    }
}

/// The label of quota `q`: `skill first_aid` or `language en>=3`.
pub fn label(q: &Quota) -> String {
    match (&q.skill, &q.language) {
        (Some(k), _) => format!("skill {k}"),
        (None, Some(l)) => format!("language {l}>={}", q.level_or_default()),
        _ => "quota".into(),
    }
}
