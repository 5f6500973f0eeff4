//! Names: `rust=` overrides in the case Rust needs, and the "did you mean" suggestions.

use super::Validator;
use crate::names;
use crate::schema::*;

impl Validator<'_, '_, '_> {
    /// A `rust=` override of a field, parameter or header name: an identifier in snake_case.
    pub(super) fn check_rust_name(&mut self, rust: &Option<Spanned<String>>) {
        self.check_rust_override(rust, names::field, "snake_case; a Rust field or parameter name must be");
    }

    /// A `rust=` override of an enum variant (an enum value or a choice alternative): UpperCamelCase.
    pub(super) fn check_rust_variant_name(&mut self, rust: &Option<Spanned<String>>) {
        self.check_rust_override(rust, names::type_name, "UpperCamelCase; a Rust enum variant name must be");
    }

    /// A `rust=` override of a type's name (on its declaration or in `<correct>`): UpperCamelCase.
    pub(super) fn check_rust_type_name(&mut self, rust: &Option<Spanned<String>>) {
        self.check_rust_override(rust, names::type_name, "UpperCamelCase; a Rust type name must be");
    }

    /// The override must be an identifier that its own case conversion (`heck`'s) leaves unchanged.
    pub(super) fn check_rust_override(
        &mut self,
        rust: &Option<Spanned<String>>,
        convert: fn(&str) -> String,
        case: &str,
    ) {
        let Some(r) = rust else { return };
        if !names::is_identifier(&r.value) {
            self.sink.error(r.pos, format!("`{}` is not a valid Rust name", r.value));
            return;
        }
        let converted = convert(&r.value);
        if converted != r.value {
            let d = self.sink.error(r.pos, format!("`{}` is not {case}", r.value));
            if names::is_identifier(&converted) {
                d.note(format!("did you mean `{converted}`?"));
            }
        }
    }
}
