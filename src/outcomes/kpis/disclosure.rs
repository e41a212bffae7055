//! Disclosure control for every count a commissioner (or a report shared outside the provider)
//! sees: the rules of docs/KPIS.md §Disclosure, kept pure so property tests can attack them.
//!
//! - A true zero is shown as 0.
//! - 1 to `threshold - 1` is suppressed; so, by a keyed draw, is a count in the band just above
//!   (`threshold` to `threshold + BAND - 1`, likelier the nearer it is), so that a cell crossing
//!   the threshold between two reports does not pin its earlier count.
//! - Every other count is rounded to one of its two nearest multiples of 5, by a keyed draw
//!   weighted to the nearer (unbiased random rounding), so that a count differing by one
//!   between two reports is not told apart by where it rounds.
//! - Within a partition (a total and cells that add up to it), cells are suppressed until no
//!   suppressed value can be solved for from the total and the others.
//!
//! The draws are keyed by a server secret, the figure and exactly who is in the cell (the
//! cell-key method): the same people show the same value in every report, period and breakdown
//! they appear in, so asking again, or otherwise, gives no fresh draw to average; and nobody
//! without the secret can predict the draws.

use sha2::{Digest, Sha256};

/// Counts from `threshold` to `threshold + BAND - 1` may be suppressed too.
pub const BAND: i64 = 3;
/// Shown counts are multiples of this.
pub const BASE: i64 = 5;
/// The smallest count ever shown, in every report (an organisation may set a higher one). The
/// stricter of the two common practices (NHS Digital suppresses 1–7; ONS, where children may
/// be in a table, 1–9): one floor for all, since choosing it from who is in the period would
/// itself tell whether a child was.
pub const THRESHOLD: i64 = 10;
/// The smallest threshold the property tests try (NHS Digital's 8).
#[cfg(test)]
const LOWEST_TESTED: i64 = 8;

#[derive(Debug, Clone)]
pub struct Rules {
    threshold: i64,
    key: [u8; 32],
}

impl Rules {
    /// `key` must be secret; each cell's name must say which figure it is and exactly who is
    /// in it (see `reports::build`).
    pub fn new(threshold: i64, key: [u8; 32]) -> Self {
        Rules {
            threshold: threshold.max(2),
            key,
        }
    }

    pub fn threshold(&self) -> i64 {
        self.threshold
    }

    /// Two uniform draws in [0, 1) for `cell`, fixed for this key.
    fn draws(&self, cell: &str) -> (f64, f64) {
        let digest = Sha256::new()
            .chain_update(self.key)
            .chain_update(cell.as_bytes())
            .finalize();
        let unit = |b: &[u8]| {
            let n = u64::from_be_bytes(b.try_into().expect("8 bytes")) >> 11;
            n as f64 / (1u64 << 53) as f64
        };
        (unit(&digest[0..8]), unit(&digest[8..16]))
    }

    /// What is shown for a true count `n` in `cell` (a stable name for the cell): `None` when
    /// suppressed.
    pub fn count(&self, cell: &str, n: i64) -> Option<i64> {
        let t = self.threshold;
        if n <= 0 {
            return Some(0);
        }
        if n < t {
            return None;
        }
        let (band, round) = self.draws(cell);
        if n < t + BAND && band < (t + BAND - n) as f64 / (BAND + 1) as f64 {
            return None;
        }
        let below = n - n % BASE;
        let up = (n % BASE) as f64 / BASE as f64;
        let shown = if round < up { below + BASE } else { below };
        // Never show a value under the threshold: round up instead.
        Some(if shown < t { below + BASE } else { shown })
    }

    /// The true counts a shown value may stand for, as anyone who knows these rules can work
    /// out: what an attacker starts from.
    pub fn range(&self, shown: Option<i64>) -> (i64, i64) {
        match shown {
            Some(0) => (0, 0),
            Some(v) => ((v - BASE + 1).max(self.threshold), v + BASE - 1),
            None => (1, self.threshold + BAND - 1),
        }
    }

    /// Shows a total and the cells that add up to it, then suppresses further cells (smallest
    /// first, then the total) until no suppressed value can be solved for exactly.
    pub fn partition(
        &self,
        total: (&str, i64),
        cells: &[(String, i64)],
    ) -> (Option<i64>, Vec<Option<i64>>) {
        self.protect(self.count(total.0, total.1), cells)
    }

    /// [`Rules::partition`] for a total already shown (it may be in several partitions, one
    /// per breakdown): the total comes back suppressed when that was needed here.
    pub fn protect(
        &self,
        shown_total: Option<i64>,
        cells: &[(String, i64)],
    ) -> (Option<i64>, Vec<Option<i64>>) {
        let mut shown_total = shown_total;
        let mut shown: Vec<Option<i64>> =
            cells.iter().map(|(name, n)| self.count(name, *n)).collect();
        loop {
            let suppressed = shown.iter().filter(|s| s.is_none()).count();
            let single = shown_total.is_some_and(|t| t > 0) && suppressed == 1;
            if !single && !self.any_pinned(shown_total, &shown) {
                return (shown_total, shown);
            }
            // Hide the smallest shown non-zero cell; when none is left, the total.
            let next = cells
                .iter()
                .zip(&shown)
                .enumerate()
                .filter(|(_, ((_, n), s))| *n > 0 && s.is_some())
                .min_by_key(|(_, ((_, n), _))| *n)
                .map(|(i, _)| i);
            match next {
                Some(i) => shown[i] = None,
                None if shown_total.is_some() => shown_total = None,
                None => return (shown_total, shown),
            }
        }
    }

    /// Whether any suppressed value (a cell or the total) is pinned to one value by the
    /// equation total = sum of cells, each side known within its range.
    pub fn any_pinned(&self, total: Option<i64>, cells: &[Option<i64>]) -> bool {
        let cells: Vec<(Option<i64>, bool)> = cells.iter().map(|c| (*c, false)).collect();
        self.any_pinned_gated((total, false), &cells)
    }

    /// [`Rules::any_pinned`] where some values were suppressed because their group's people
    /// were (`true` beside them): such a value may be 0, or any number, and anyone can tell
    /// which they are (their group's people are suppressed too), so they are taken as 0 and
    /// up. A partition whose shown values force those to 0 is pinned.
    pub fn any_pinned_gated(
        &self,
        total: (Option<i64>, bool),
        cells: &[(Option<i64>, bool)],
    ) -> bool {
        /// No upper bound (large enough never to be reached by a sum).
        const OPEN: i64 = i64::MAX / 1024;
        let range = |(shown, gated): (Option<i64>, bool)| match (shown, gated) {
            (None, true) => (0, OPEN),
            (shown, _) => self.range(shown),
        };
        let ranges: Vec<(i64, i64)> = cells.iter().map(|c| range(*c)).collect();
        let (t_lo, t_hi) = range(total);
        let (sum_lo, sum_hi) = ranges
            .iter()
            .fold((0, 0), |(a, b), (lo, hi)| (a + lo, b + hi));
        if total.0.is_none() {
            let lo = t_lo.max(sum_lo);
            let hi = t_hi.min(sum_hi);
            if lo == hi {
                return true;
            }
        }
        cells.iter().zip(&ranges).any(|((cell, _), (lo, hi))| {
            if cell.is_some() {
                return false;
            }
            let others_lo = sum_lo - lo;
            let others_hi = sum_hi - hi;
            let from_lo = (t_lo - others_hi).max(*lo);
            let from_hi = (t_hi - others_lo).min(*hi);
            from_lo == from_hi
        })
    }
}

/// A percentage from shown counts, withheld when either is suppressed or the denominator is
/// zero. Computed from the shown (rounded) counts, not the true ones: a ratio of true counts
/// would let a one-person difference between two reports show (docs/KPIS.md).
pub fn percentage(numerator: Option<i64>, denominator: Option<i64>) -> Option<i64> {
    match (numerator, denominator) {
        (Some(n), Some(d)) if d > 0 => Some(((n as f64 / d as f64) * 100.0).round() as i64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rules(threshold: i64, seed: u64) -> Rules {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_be_bytes());
        Rules::new(threshold, key)
    }

    #[test]
    fn zero_is_zero_small_counts_are_suppressed_and_large_ones_rounded() {
        let r = rules(8, 1);
        assert_eq!(r.count("c", 0), Some(0));
        for n in 1..8 {
            assert_eq!(r.count("c", n), None, "{n}");
        }
        assert_eq!(r.count("c", 20), Some(20));
        assert_eq!(r.count("c", 1000), Some(1000));
        let shown = r.count("c", 23).unwrap();
        assert!(shown == 20 || shown == 25, "{shown}");
        let r10 = rules(10, 1);
        for n in 1..10 {
            assert_eq!(r10.count("c", n), None, "{n}");
        }
    }

    #[test]
    fn the_same_cell_answers_the_same_and_the_rounding_is_unbiased() {
        let r = rules(8, 7);
        assert_eq!(r.count("area a", 23), r.count("area a", 23));
        // Over many cells, 23 rounds up to 25 about 3 times in 5.
        let up = (0..10_000)
            .filter(|i| r.count(&format!("cell {i}"), 23) == Some(25))
            .count();
        assert!((5_600..6_400).contains(&up), "{up}");
    }

    #[test]
    fn a_single_suppressed_cell_gets_a_complement() {
        let r = rules(8, 3);
        let cells = vec![("a".to_string(), 3), ("b".into(), 40), ("c".into(), 60)];
        let (total, shown) = r.partition(("t", 103), &cells);
        assert!(total.is_some());
        assert_eq!(shown[0], None);
        assert_eq!(shown[1], None, "the smallest other cell hides it");
        assert!(shown[2].is_some());
    }

    #[test]
    fn percentages_come_from_shown_counts_and_are_withheld_with_them() {
        assert_eq!(percentage(Some(10), Some(20)), Some(50));
        assert_eq!(percentage(None, Some(20)), None);
        assert_eq!(percentage(Some(10), None), None);
        assert_eq!(percentage(Some(0), Some(0)), None);
    }

    /// A random cohort: each person's cell in one breakdown.
    fn cohort() -> impl Strategy<Value = (Vec<usize>, usize, u64, bool)> {
        (
            prop::collection::vec(0usize..6, 0..80),
            0usize..6,
            any::<u64>(),
            any::<bool>(),
        )
    }

    /// Each cell's name is who is in it (as the reports key cells), with its count.
    fn tally(members: &[usize]) -> Vec<(String, i64)> {
        (0..6)
            .map(|c| {
                let who: Vec<usize> = (0..members.len()).filter(|i| members[*i] == c).collect();
                (format!("{who:?}"), who.len() as i64)
            })
            .collect()
    }

    fn everyone(members: &[usize]) -> String {
        format!("{:?}", (0..members.len()).collect::<Vec<_>>())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// No cell of 1 to threshold - 1 is ever visible; every visible count is a multiple of
        /// 5; zero is zero; and no suppressed value can be solved for from the total and the
        /// other cells.
        #[test]
        fn nothing_small_is_shown_or_recoverable((members, _, seed, children) in cohort()) {
            let t = if children { THRESHOLD } else { LOWEST_TESTED };
            let r = rules(t, seed);
            let cells = tally(&members);
            let total = members.len() as i64;
            let (shown_total, shown) = r.partition((&everyone(&members), total), &cells);
            for (v, n) in shown.iter().zip(cells.iter().map(|c| c.1)).chain([(&shown_total, total)]) {
                match v {
                    Some(0) => prop_assert_eq!(n, 0),
                    Some(v) => {
                        prop_assert!(*v >= t && v % BASE == 0, "{} shown for {}", v, n);
                        prop_assert!((v - n).abs() < BASE);
                    }
                    None => prop_assert!(n > 0),
                }
            }
            prop_assert!(!r.any_pinned(shown_total, &shown));
        }

        /// Differencing: a report on a cohort and on the same cohort plus one person. Cells
        /// without the person show the same as before; for the cell the person joined, the two
        /// shown values are consistent with the person not being there, and no small count of
        /// either report is pinned by putting the two together (its count one less, or the
        /// same). Accepted by the rules: a cell empty in the first report (zero is zero), and
        /// that a cell whose shown value changed has the person in it.
        #[test]
        fn one_more_person_reveals_nobody((members, extra, seed, children) in cohort()) {
            let t = if children { THRESHOLD } else { LOWEST_TESTED };
            let before = rules(t, seed);
            let after = rules(t, seed);
            let mut plus = members.clone();
            plus.push(extra);
            let (cells0, cells1) = (tally(&members), tally(&plus));
            let (t0, s0) = before.partition((&everyone(&members), members.len() as i64), &cells0);
            let (t1, s1) = after.partition((&everyone(&plus), plus.len() as i64), &cells1);
            let pairs = s0.iter().zip(&s1).zip(cells0.iter().zip(&cells1))
                .map(|((a, b), (c0, c1))| (*a, *b, c0.1, c1.1))
                .chain([(t0, t1, members.len() as i64, plus.len() as i64)]);
            for (a, b, n0, n1) in pairs {
                if n0 == 0 {
                    continue;
                }
                let (lo0, hi0) = before.range(a);
                let (lo1, hi1) = after.range(b);
                // A suppressed cell may be a complement of any size: for whether a cell gives
                // the person away, that is all anyone can assume.
                let any = |shown: Option<i64>, hi: i64| if shown.is_none() { i64::MAX } else { hi };
                if n1 != n0 {
                    prop_assert!(lo0.max(lo1) <= any(a, hi0).min(any(b, hi1)),
                        "{:?} then {:?} gives away that the person is in this cell", a, b);
                }
                // What both reports together allow for the first count, whether or not the
                // person is in this cell.
                let candidates: Vec<i64> = (lo0..=hi0)
                    .filter(|x| (lo1..=hi1).contains(x) || (lo1..=hi1).contains(&(x + 1)))
                    .collect();
                if (1..t).contains(&n0) {
                    prop_assert!(candidates.len() > 1, "{} pinned by {:?} then {:?}", n0, a, b);
                }
            }
        }
    }
}
