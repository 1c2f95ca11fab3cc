//! How numbers read in messages and in the generated docs.

/// `10240` -> `10,240`
pub(crate) fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A number as the user wrote it, as near as a float allows: whole numbers without a
/// fraction, others in their shortest form, as JSON writes them (`1e+300`, never 301 digits).
pub(crate) fn shown(value: f64) -> String {
    if !value.is_finite() {
        return if value.is_nan() {
            "NaN"
        } else if value > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .to_owned();
    }
    if value.fract() == 0.0 && value.abs() < 1e16 {
        return format!("{value:.0}");
    }
    serde_json::Number::from_f64(value).map_or_else(|| value.to_string(), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(shown(5.0), "5");
        assert_eq!(shown(-3.0), "-3");
        assert_eq!(shown(0.1), "0.1");
        assert_eq!(shown(2.5), "2.5");
        assert_eq!(shown(1e300), "1e+300");
        assert_eq!(shown(1e20), "1e+20");
        assert_eq!(shown(f64::NAN), "NaN");
        assert_eq!(shown(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn values_read_with_thousands_separators() {
        assert_eq!(thousands(255), "255");
        assert_eq!(thousands(10_240), "10,240");
        assert_eq!(thousands(1_048_576), "1,048,576");
    }
}
