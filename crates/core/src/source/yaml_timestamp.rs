//! Plain scalars the Framework's loader (js-yaml's default schema) reads as a date rather than
//! text: `alias: 2024-01-01` reaches a plugin as a JavaScript `Date`. The YAML 1.2 core schema
//! this reader follows has no timestamps, so they are recognised here, by js-yaml's own rule
//! (`lib/type/timestamp.js`):
//! `YYYY-MM-DD`, or `YYYY-M-D` + `T`/spaces + `h:mm:ss[.fraction][ ][Z|±h[:mm]]`.

/// Whether js-yaml reads this plain scalar as a timestamp.
pub(super) fn is_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    let date_only = bytes.len() == 10
        && digits(&bytes[..4], 4, 4)
        && bytes[4] == b'-'
        && digits(&bytes[5..7], 2, 2)
        && bytes[7] == b'-'
        && digits(&bytes[8..], 2, 2);
    date_only || is_date_time(text)
}

fn is_date_time(text: &str) -> bool {
    let Some(at) = text.find(['T', 't', ' ', '\t']) else {
        return false;
    };
    let (date, rest) = (&text[..at], &text[at + 1..]);
    let mut parts = date.splitn(3, '-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    if !(digits(year.as_bytes(), 4, 4)
        && digits(month.as_bytes(), 1, 2)
        && digits(day.as_bytes(), 1, 2))
    {
        return false;
    }
    // `[Tt]` or a run of spaces and tabs: only the latter may be followed by more of them.
    let time = if text.as_bytes()[at].is_ascii_alphabetic() {
        rest
    } else {
        rest.trim_start_matches([' ', '\t'])
    };
    // hh:mm:ss, then an optional fraction, then an optional zone.
    let clock_end = time.find(|c: char| !c.is_ascii_digit() && c != ':');
    let (clock, after) = time.split_at(clock_end.unwrap_or(time.len()));
    let mut clock_parts = clock.split(':');
    let (Some(hours), Some(minutes), Some(seconds), None) = (
        clock_parts.next(),
        clock_parts.next(),
        clock_parts.next(),
        clock_parts.next(),
    ) else {
        return false;
    };
    if !(digits(hours.as_bytes(), 1, 2)
        && digits(minutes.as_bytes(), 2, 2)
        && digits(seconds.as_bytes(), 2, 2))
    {
        return false;
    }
    let after = match after.strip_prefix('.') {
        Some(fraction) => fraction.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => after,
    };
    is_zone(after.trim_start_matches([' ', '\t']))
}

/// Nothing, `Z`, or `+h`, `-hh`, `+hh:mm`.
fn is_zone(zone: &str) -> bool {
    if zone.is_empty() || zone == "Z" {
        return true;
    }
    let Some(offset) = zone.strip_prefix(['+', '-']) else {
        return false;
    };
    match offset.split_once(':') {
        Some((hours, minutes)) => {
            digits(hours.as_bytes(), 1, 2) && digits(minutes.as_bytes(), 2, 2)
        }
        None => digits(offset.as_bytes(), 1, 2),
    }
}

/// `min..=max` ASCII digits and nothing else.
fn digits(bytes: &[u8], min: usize, max: usize) -> bool {
    (min..=max).contains(&bytes.len()) && bytes.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_js_yaml_reads_as_timestamps() {
        for text in [
            "2024-01-01",
            "2024-1-1 10:00:00",
            "2024-01-02T10:00:00Z",
            "2024-01-02t1:00:00.5",
            "2024-01-02 10:00:00 +01:00",
            "2024-01-02  10:00:00.123-5",
        ] {
            assert!(is_timestamp(text), "{text}");
        }
    }

    #[test]
    fn other_text_stays_text() {
        for text in [
            "2024-1-1",
            "2024-01-01x",
            "20240101",
            "2024-01-02T10:00",
            "2024-01-02T10:00:00 UTC",
            "2024-01-02T10:00:00+1:5",
            "2024-01-02T 10:00:00",
            "Live",
            "",
        ] {
            assert!(!is_timestamp(text), "{text}");
        }
    }
}
