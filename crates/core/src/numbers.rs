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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_with_thousands_separators() {
        assert_eq!(thousands(255), "255");
        assert_eq!(thousands(10_240), "10,240");
        assert_eq!(thousands(1_048_576), "1,048,576");
    }
}
