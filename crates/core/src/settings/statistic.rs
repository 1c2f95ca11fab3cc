//! An alarm's `statistic`: one of CloudWatch's five standard statistics (`Statistic`) or an
//! extended one (`ExtendedStatistic`), spelled as CloudWatch's grammar has it.
//!
//! The grammar is "CloudWatch statistics definitions"
//! (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html):
//! - `p`, `tm`, `wm`, `tc`, `ts` in lowercase followed by one percentage: `p99`, `tm90`;
//! - `TM`, `WM`, `TC`, `TS` in uppercase with two percentages in parentheses: `TM(10%:90%)`;
//! - `PR(n:m)`, `PR(:m)`, `PR(n:)`: the percentage of datapoints between two values;
//! - `IQM`, which is `TM(25%:75%)`.
//!
//! An alarm takes fewer forms than a graph. PutMetricAlarm's `ExtendedStatistic` (CloudWatch
//! API reference) lists `TC`, `TM`, `TS` and `WM` only as `(X%:X%)` "where X is between 10 and
//! 90 inclusive": bounds left out, values of the metric, or percentages outside 10-90 are for
//! graphs and metric queries, not alarms.
//!
//! Percentages go from 0 to 100 with at most 10 decimals, as do bounds; a percentile takes at
//! most two decimals ("Percentiles", CloudWatch concepts:
//! https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Percentiles).

use crate::suggest::best_match;

pub(crate) const STANDARD: [&str; 5] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

/// The families written `tm90` in lowercase, or `TM(10%:90%)` in uppercase.
const TRIMMED: [&str; 4] = ["tm", "wm", "tc", "ts"];
const PERCENTILE_DECIMALS: usize = 2;
const BOUND_DECIMALS: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Statistic {
    Standard(String),
    /// Anything else CloudWatch computes, as written: CloudFormation's `ExtendedStatistic`.
    Extended(String),
}

impl Statistic {
    /// `PR(...)`: the percentage of datapoints in a range, from 0 to 100 whatever the metric.
    pub(crate) fn is_percentage(&self) -> bool {
        matches!(self, Self::Extended(name) if name.starts_with("PR("))
    }
}

/// Why a spelling is refused, and the spelling meant when it is plain.
#[derive(Debug, PartialEq)]
pub(crate) struct Refusal {
    /// `None`: not a statistic at all; otherwise what is wrong with the one it looks like.
    pub problem: Option<&'static str>,
    pub suggestion: Option<String>,
}

impl Refusal {
    fn problem(problem: &'static str) -> Self {
        Self {
            problem: Some(problem),
            suggestion: None,
        }
    }

    fn suggest(problem: &'static str, suggestion: String) -> Self {
        Self {
            problem: Some(problem),
            suggestion: Some(suggestion),
        }
    }
}

pub(crate) fn parse(given: &str) -> Result<Statistic, Refusal> {
    if STANDARD.contains(&given) {
        return Ok(Statistic::Standard(given.to_owned()));
    }
    if given == "IQM" {
        return Ok(Statistic::Extended(given.to_owned()));
    }
    if let Some(open) = given.find('(') {
        return parse_range(given, open).map(|()| Statistic::Extended(given.to_owned()));
    }
    parse_single(given).map(|()| Statistic::Extended(given.to_owned()))
}

/// `p99.9`, `tm90`: a family in lowercase and one percentage.
fn parse_single(given: &str) -> Result<(), Refusal> {
    let split = given
        .find(|c: char| c.is_ascii_digit() || c == '.')
        .unwrap_or(given.len());
    let (family, number) = given.split_at(split);
    let lower = family.to_ascii_lowercase();
    let known = lower == "p" || TRIMMED.contains(&lower.as_str());
    if !known || number.is_empty() {
        return Err(unknown(given));
    }
    if family != lower {
        return Err(Refusal::suggest(
            "a statistic with one number is written in lowercase",
            format!("{lower}{number}"),
        ));
    }
    if lower == "p" {
        return percentage(number, PERCENTILE_DECIMALS)
            .map(drop)
            .ok_or_else(|| {
                Refusal::problem("a percentile is a number from 0 to 100 with at most two decimals")
            });
    }
    percentage(number, BOUND_DECIMALS).map(drop).ok_or_else(|| {
        Refusal::problem("its number is a percentage from 0 to 100 with at most 10 decimals")
    })
}

/// `TM(10%:90%)`, `TC(80:500)`, `PR(:300)`: a family in uppercase and one or two bounds.
fn parse_range(given: &str, open: usize) -> Result<(), Refusal> {
    let (family, rest) = given.split_at(open);
    let upper = family.to_ascii_uppercase();
    let is_rank = upper == "PR";
    let known = is_rank || TRIMMED.iter().any(|t| t.to_ascii_uppercase() == upper);
    if !known {
        return Err(unknown(given));
    }
    if family != upper {
        return Err(Refusal::suggest(
            "a statistic with bounds in parentheses is written in uppercase",
            format!("{upper}{rest}"),
        ));
    }
    let Some((lower_text, upper_text)) = rest
        .strip_prefix('(')
        .and_then(|inner| inner.strip_suffix(')'))
        .and_then(|inner| inner.split_once(':'))
    else {
        return Err(Refusal::problem(
            "write its bounds as `(lower:upper)`, e.g. `TM(10%:90%)` or `PR(:300)`",
        ));
    };
    let bounds = [lower_text, upper_text].map(bound);
    if bounds.iter().all(|b| matches!(b, Bound::Absent)) {
        return Err(Refusal::problem("give at least one bound"));
    }
    if bounds.iter().any(|b| matches!(b, Bound::Invalid)) {
        return Err(Refusal::problem(
            "each bound is a number with at most 10 decimals, and a percentage is at most 100%",
        ));
    }
    let percent = bounds.iter().any(|b| matches!(b, Bound::Percent(_)));
    let value = bounds.iter().any(|b| matches!(b, Bound::Value(_)));
    if percent && value {
        return Err(Refusal::problem(
            "its bounds are both percentages (`10%`) or both values of the metric, not one of each",
        ));
    }
    if is_rank && percent {
        return Err(Refusal::problem(
            "a percentile rank's bounds are values of the metric, not percentages",
        ));
    }
    // PutMetricAlarm, `ExtendedStatistic`: `TM(X%:X%)` and its kin, "where X is between 10 and
    // 90 inclusive".
    let in_alarm_range = |b: &Bound| matches!(b, Bound::Percent(p) if (10.0..=90.0).contains(p));
    if !is_rank && !bounds.iter().all(in_alarm_range) {
        return Err(Refusal::problem(
            "in an alarm its bounds are two percentages from 10% to 90%, e.g. `TM(10%:90%)`",
        ));
    }
    if let [Bound::Percent(low) | Bound::Value(low), Bound::Percent(high) | Bound::Value(high)] =
        bounds
    {
        if low >= high {
            return Err(Refusal::problem(
                "its lower bound must be below its upper bound, or no datapoint is kept",
            ));
        }
    }
    Ok(())
}

enum Bound {
    Absent,
    Percent(f64),
    Value(f64),
    Invalid,
}

fn bound(text: &str) -> Bound {
    if text.is_empty() {
        return Bound::Absent;
    }
    let parsed = match text.strip_suffix('%') {
        Some(number) => percentage(number, BOUND_DECIMALS).map(Bound::Percent),
        None => decimal(text, BOUND_DECIMALS).map(Bound::Value),
    };
    parsed.unwrap_or(Bound::Invalid)
}

/// A percentage from 0 to 100 with at most `decimals` decimals.
fn percentage(text: &str, decimals: usize) -> Option<f64> {
    decimal(text, decimals).filter(|p| *p <= 100.0)
}

/// `12`, `0.005`: digits, then optionally a point and 1 to `decimals` digits. No sign: these
/// statistics are not computed for metrics with negative values.
fn decimal(text: &str, decimals: usize) -> Option<f64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    (digits(whole) && digits(fraction) && fraction.len() <= decimals)
        .then(|| text.parse().ok())
        .flatten()
}

fn unknown(given: &str) -> Refusal {
    let names = STANDARD.iter().copied().chain(["IQM"]);
    Refusal {
        problem: None,
        suggestion: best_match(given, names).map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_in_cloudwatch_s_definitions_is_accepted() {
        let accepted = [
            ("Sum", Statistic::Standard("Sum".into())),
            ("SampleCount", Statistic::Standard("SampleCount".into())),
            ("p0", Statistic::Extended("p0".into())),
            ("p99.99", Statistic::Extended("p99.99".into())),
            ("p100", Statistic::Extended("p100".into())),
            ("tm99", Statistic::Extended("tm99".into())),
            ("wm98", Statistic::Extended("wm98".into())),
            ("tc90", Statistic::Extended("tc90".into())),
            ("ts90", Statistic::Extended("ts90".into())),
            (
                "tm99.1234567891",
                Statistic::Extended("tm99.1234567891".into()),
            ),
            ("IQM", Statistic::Extended("IQM".into())),
            ("TM(10%:90%)", Statistic::Extended("TM(10%:90%)".into())),
            ("WM(10%:90%)", Statistic::Extended("WM(10%:90%)".into())),
            ("TC(25%:75%)", Statistic::Extended("TC(25%:75%)".into())),
            (
                "TS(10.5%:89.5%)",
                Statistic::Extended("TS(10.5%:89.5%)".into()),
            ),
            ("PR(:300)", Statistic::Extended("PR(:300)".into())),
            ("PR(100:2000)", Statistic::Extended("PR(100:2000)".into())),
            ("PR(10:)", Statistic::Extended("PR(10:)".into())),
        ];
        for (given, expected) in accepted {
            assert_eq!(parse(given), Ok(expected), "{given}");
        }
    }

    #[test]
    fn refused_spellings_say_why_and_what_was_meant() {
        let alarm_range =
            Some("in an alarm its bounds are two percentages from 10% to 90%, e.g. `TM(10%:90%)`");
        let refused: [(&str, Option<&str>, Option<&str>); 28] = [
            ("Total", None, None),
            ("Averge", None, Some("Average")),
            ("sum", None, Some("Sum")),
            ("iqm", None, Some("IQM")),
            ("p", None, None),
            ("x99", None, None),
            ("P99", Some("a statistic with one number is written in lowercase"), Some("p99")),
            ("TM99", Some("a statistic with one number is written in lowercase"), Some("tm99")),
            ("tm(10%:90%)", Some("a statistic with bounds in parentheses is written in uppercase"), Some("TM(10%:90%)")),
            ("Pr(:300)", Some("a statistic with bounds in parentheses is written in uppercase"), Some("PR(:300)")),
            ("p99.999", Some("a percentile is a number from 0 to 100 with at most two decimals"), None),
            ("p100.5", Some("a percentile is a number from 0 to 100 with at most two decimals"), None),
            ("p1e1", Some("a percentile is a number from 0 to 100 with at most two decimals"), None),
            ("tm101", Some("its number is a percentage from 0 to 100 with at most 10 decimals"), None),
            ("tm99.12345678901", Some("its number is a percentage from 0 to 100 with at most 10 decimals"), None),
            ("TM(95%)", Some("write its bounds as `(lower:upper)`, e.g. `TM(10%:90%)` or `PR(:300)`"), None),
            ("TM(2%:98%)", alarm_range, None),
            ("TM(:90%)", alarm_range, None),
            ("TM(10%:)", alarm_range, None),
            ("TM(150:1000)", alarm_range, None),
            ("TC(0.005:0.030)", alarm_range, None),
            ("TS(10%:91%)", alarm_range, None),
            ("TM(:)", Some("give at least one bound"), None),
            ("TM(10%:500)", Some("its bounds are both percentages (`10%`) or both values of the metric, not one of each"), None),
            ("TM(5%:120%)", Some("each bound is a number with at most 10 decimals, and a percentage is at most 100%"), None),
            ("TC(-1:5)", Some("each bound is a number with at most 10 decimals, and a percentage is at most 100%"), None),
            ("PR(10%:90%)", Some("a percentile rank's bounds are values of the metric, not percentages"), None),
            ("TM(90%:10%)", Some("its lower bound must be below its upper bound, or no datapoint is kept"), None),
        ];
        for (given, problem, suggestion) in refused {
            let refusal = parse(given).expect_err(given);
            assert_eq!(refusal.problem, problem, "{given}");
            assert_eq!(refusal.suggestion.as_deref(), suggestion, "{given}");
        }
    }

    #[test]
    fn a_percentile_rank_is_a_percentage() {
        let of = |given: &str| parse(given).unwrap().is_percentage();
        assert!(!of("Sum"));
        assert!(!of("tm99"));
        assert!(!of("TM(10%:90%)"));
        assert!(of("PR(:300)"));
    }
}
