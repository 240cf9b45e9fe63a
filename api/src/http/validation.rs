//! Collecting every problem with a request body at once, so a client fixes them in one go.

use super::error::{ApiError, FieldError};

#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `message` for `field` unless `ok`.
    pub fn check(&mut self, ok: bool, field: &str, message: impl Into<String>) -> &mut Self {
        if !ok {
            self.errors.push(FieldError {
                field: field.to_owned(),
                message: message.into(),
            });
        }
        self
    }

    /// Records the error of `result`, if any.
    pub fn result<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.check(false, field, message);
                None
            }
        }
    }

    /// A trimmed text field of 1..=max characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> &mut Self {
        let len = value.trim().chars().count();
        self.check(len > 0, field, "must not be empty").check(
            len <= max,
            field,
            format!("must be at most {max} characters"),
        )
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}
