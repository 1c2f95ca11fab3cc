//! The Serverless Framework v3 variable syntax, read from one string value:
//! `${source:address, fallback, ...}`, with variables nested in addresses and fallbacks.
//!
//! As in the Framework, `${` only opens a variable when a lowercase source name follows and ends
//! in `:` or `(`; anything else (`${AWS::Region}`, `${Param}` in a `Fn::Sub`) is left as text for
//! CloudFormation, and `\` keeps the next character from opening a variable.

use serde_json::Value;

/// Bounds the recursion on nested `${...}`, so no input can exhaust the stack.
const MAX_NESTING: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece<'t> {
    Text(&'t str),
    Variable(Variable<'t>),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Variable<'t> {
    /// As written, `${opt:stage, 'dev'}`, to report it.
    pub text: &'t str,
    /// Tried in order: the first one found wins.
    pub sources: Vec<Source<'t>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Source<'t> {
    /// `self:custom.alias`, `opt:stage`, `file(./config.yml):key`. Parameters in parentheses
    /// are skipped: no source this reader resolves takes any.
    Reference {
        kind: &'t str,
        address: Vec<Piece<'t>>,
    },
    /// `'dev'`, `"dev"`, `10`, `true`, `null`.
    Literal(Value),
    /// `${opt:stage}` written as a fallback.
    Variable(Variable<'t>),
}

/// The text looks like a variable but does not follow the syntax; the Framework would stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Malformed;

/// Splits a string value into text and variables.
pub(super) fn parse(text: &str) -> Result<Vec<Piece<'_>>, Malformed> {
    let mut scanner = Scanner { text, position: 0 };
    let pieces = scanner.pieces(0, |_| false)?;
    Ok(pieces)
}

struct Scanner<'t> {
    text: &'t str,
    /// A byte offset; every delimiter is ASCII, so slicing at one is always on a char boundary.
    position: usize,
}

impl<'t> Scanner<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.position).copied()
    }

    fn byte_at(&self, offset: usize) -> Option<u8> {
        self.text.as_bytes().get(self.position + offset).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.position += 1;
        }
    }

    /// Text and variables up to a byte `stop` accepts (not consumed) or the end.
    fn pieces(
        &mut self,
        nesting: usize,
        stop: fn(u8) -> bool,
    ) -> Result<Vec<Piece<'t>>, Malformed> {
        let mut pieces = Vec::new();
        let mut text_start = self.position;
        while let Some(byte) = self.peek() {
            if stop(byte) {
                break;
            }
            if byte == b'\\' {
                self.position = (self.position + 2).min(self.text.len());
            } else if byte == b'$' && self.opens_variable() {
                if text_start < self.position {
                    pieces.push(Piece::Text(&self.text[text_start..self.position]));
                }
                pieces.push(Piece::Variable(self.variable(nesting + 1)?));
                text_start = self.position;
            } else {
                self.position += 1;
            }
        }
        if text_start < self.position {
            pieces.push(Piece::Text(&self.text[text_start..self.position]));
        }
        Ok(pieces)
    }

    /// At `$`: `${` followed by a lowercase source name that ends in `:` or `(`.
    fn opens_variable(&self) -> bool {
        if self.byte_at(1) != Some(b'{') || !self.byte_at(2).is_some_and(|b| b.is_ascii_lowercase())
        {
            return false;
        }
        let mut offset = 3;
        while self.byte_at(offset).is_some_and(is_name_byte) {
            offset += 1;
        }
        matches!(self.byte_at(offset), Some(b':' | b'('))
    }

    /// At `${`, known to open a variable.
    fn variable(&mut self, nesting: usize) -> Result<Variable<'t>, Malformed> {
        if nesting > MAX_NESTING {
            return Err(Malformed);
        }
        let start = self.position;
        self.position += 2;
        let mut sources = vec![self.reference(nesting)?];
        loop {
            self.skip_spaces();
            match self.peek() {
                Some(b',') => {
                    self.position += 1;
                    self.skip_spaces();
                    sources.push(self.fallback(nesting)?);
                }
                Some(b'}') => {
                    self.position += 1;
                    return Ok(Variable {
                        text: &self.text[start..self.position],
                        sources,
                    });
                }
                _ => return Err(Malformed),
            }
        }
    }

    /// `kind:address`, `kind(params)` or `kind(params):address`.
    fn reference(&mut self, nesting: usize) -> Result<Source<'t>, Malformed> {
        let kind_start = self.position;
        while self.peek().is_some_and(is_name_byte) {
            self.position += 1;
        }
        let kind = &self.text[kind_start..self.position];
        if self.peek() == Some(b'(') {
            self.position += 1;
            self.pieces(nesting, |byte| byte == b')')?;
            if self.peek() != Some(b')') {
                return Err(Malformed);
            }
            self.position += 1;
        }
        let address = if self.peek() == Some(b':') {
            self.position += 1;
            self.pieces(nesting, |byte| matches!(byte, b',' | b'}'))?
        } else {
            Vec::new()
        };
        Ok(Source::Reference { kind, address })
    }

    fn fallback(&mut self, nesting: usize) -> Result<Source<'t>, Malformed> {
        match self.peek() {
            Some(b'$') if self.opens_variable() => {
                Ok(Source::Variable(self.variable(nesting + 1)?))
            }
            Some(b'\'') => self.single_quoted(),
            Some(b'"') => self.double_quoted(),
            _ if self.starts_reference() => self.reference(nesting),
            _ => self.bare_literal(),
        }
    }

    /// `self:provider.stage` written without `${}`, as the Framework allows in fallbacks.
    fn starts_reference(&self) -> bool {
        if !self.peek().is_some_and(|b| b.is_ascii_lowercase()) {
            return false;
        }
        let mut offset = 1;
        while self.byte_at(offset).is_some_and(is_name_byte) {
            offset += 1;
        }
        matches!(self.byte_at(offset), Some(b':' | b'('))
    }

    fn single_quoted(&mut self) -> Result<Source<'t>, Malformed> {
        let content_start = self.position + 1;
        let length = self.text[content_start..].find('\'').ok_or(Malformed)?;
        self.position = content_start + length + 1;
        let content = &self.text[content_start..content_start + length];
        Ok(Source::Literal(Value::String(content.to_owned())))
    }

    /// JSON string rules, as the Framework reads it with `JSON.parse`.
    fn double_quoted(&mut self) -> Result<Source<'t>, Malformed> {
        let start = self.position;
        self.position += 1;
        loop {
            match self.peek() {
                None => return Err(Malformed),
                Some(b'\\') => self.position += 2,
                Some(b'"') => break,
                Some(_) => self.position += 1,
            }
        }
        self.position += 1;
        let literal = self.text.get(start..self.position).ok_or(Malformed)?;
        let content: String = serde_json::from_str(literal).map_err(|_| Malformed)?;
        Ok(Source::Literal(Value::String(content)))
    }

    /// `10`, `-1.5`, `true`, `false` or `null`.
    fn bare_literal(&mut self) -> Result<Source<'t>, Malformed> {
        let start = self.position;
        while self.peek().is_some_and(|byte| !matches!(byte, b',' | b'}')) {
            self.position += 1;
        }
        let literal = match self.text[start..self.position].trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            number => number_literal(number).ok_or(Malformed)?,
        };
        Ok(Source::Literal(literal))
    }
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'.'
}

fn number_literal(text: &str) -> Option<Value> {
    if let Ok(integer) = text.parse::<i64>() {
        return Some(Value::from(integer));
    }
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn reference<'t>(kind: &'t str, address: &'t str) -> Source<'t> {
        let address = if address.is_empty() {
            Vec::new()
        } else {
            vec![Piece::Text(address)]
        };
        Source::Reference { kind, address }
    }

    #[test]
    fn text_and_variables_alternate() {
        let text = "${self:service}-${opt:stage, 'dev'}";
        assert_eq!(
            parse(text),
            Ok(vec![
                Piece::Variable(Variable {
                    text: "${self:service}",
                    sources: vec![reference("self", "service")],
                }),
                Piece::Text("-"),
                Piece::Variable(Variable {
                    text: "${opt:stage, 'dev'}",
                    sources: vec![reference("opt", "stage"), Source::Literal(json!("dev"))],
                }),
            ])
        );
    }

    #[test]
    fn variables_nest_in_addresses_and_fallbacks() {
        let text = "${self:custom.${opt:stage}.alias, ${env:ALIAS}}";
        let Ok(pieces) = parse(text) else {
            panic!("{text} did not parse");
        };
        let [Piece::Variable(variable)] = pieces.as_slice() else {
            panic!("{pieces:?}");
        };
        let Source::Reference { address, .. } = &variable.sources[0] else {
            panic!("{variable:?}");
        };
        assert_eq!(address.len(), 3);
        assert!(
            matches!(&variable.sources[1], Source::Variable(inner) if inner.text == "${env:ALIAS}")
        );
    }

    #[test]
    fn parameters_are_skipped_up_to_the_address() {
        let Ok(pieces) = parse("${file(./stages/${opt:stage}.yml):alias}") else {
            panic!("did not parse");
        };
        let [Piece::Variable(variable)] = pieces.as_slice() else {
            panic!("{pieces:?}");
        };
        assert_eq!(variable.sources, [reference("file", "alias")]);
    }

    #[test]
    fn cloudformation_and_escaped_dollars_stay_text() {
        for text in [
            "${AWS::Region}",
            "${Topic}",
            "${}",
            "\\${opt:stage}",
            "cost: $5",
            "$",
        ] {
            assert_eq!(parse(text), Ok(vec![Piece::Text(text)]), "{text}");
        }
    }

    #[test]
    fn malformed_variables_are_errors() {
        let deep = format!("{}{}", "${self:a.".repeat(20), "}".repeat(20));
        for text in [
            "${opt:stage",
            "${opt:stage, dev}",
            "${opt:stage, 'dev}",
            "${file(x:y}",
            &deep,
        ] {
            assert_eq!(parse(text), Err(Malformed), "{text}");
        }
    }
}
