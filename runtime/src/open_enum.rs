use std::fmt;

/// A value of an open enumeration that this version of the bindings does not know.
///
/// Only the decoders create it, so comparing two known cases with `==` stays meaningful: a known value
/// can never hide inside `Unknown`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a value that the caller has already checked is not a known case.
    #[doc(hidden)]
    pub fn new_unchecked(value: impl Into<String>) -> Self {
        UnknownValue(value.into())
    }

    /// The value exactly as it came from the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
