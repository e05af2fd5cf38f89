//! A refused form comes back as it was typed: the server keeps the values of a form post it
//! refused (in memory, for the session; never in the address) and hands them to the page once.
//! Forms read them through [`Typed`]: each visible field takes its kept value, and the refused
//! field is marked (`aria-invalid`, its message linked by `aria-describedby`).

use leptos::prelude::*;

/// The values of a refused form post: the server function it went to (its path) and the
/// fields as posted, in order. Passwords and one-time codes are never among them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeptForm {
    pub endpoint: String,
    pub fields: Vec<(String, String)>,
}

/// The form of the current page that came back refused, if any (server rendering only).
fn current() -> Option<(KeptForm, Option<String>)> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        let form = parts.extensions.get::<KeptForm>()?.clone();
        let field = parts.uri.query().and_then(|q| {
            q.split('&')
                .find_map(|p| p.strip_prefix("felt="))
                .map(str::to_owned)
        });
        Some((form, field))
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The field the address names as refused (`felt=`).
fn use_query_map_field() -> Option<String> {
    leptos_router::hooks::use_query_map().with_untracked(|q| q.get("felt"))
}

/// What was typed into one form of the page, if that form came back refused; else nothing, and
/// every field shows its usual value.
#[derive(Clone, Debug, Default)]
pub struct Typed {
    fields: Option<Vec<(String, String)>>,
    /// The refused field's name.
    invalid: Option<String>,
}

impl Typed {
    /// The form that posts to `action`. Where a page has one such form per object (a task, a
    /// plan), `keys` are the hidden fields that tell them apart: the kept values belong to the
    /// form whose keys match.
    pub fn of(action: &str, keys: &[(&str, &str)]) -> Typed {
        let Some((form, field)) = current() else {
            return Typed::default();
        };
        let matches = form.endpoint == action
            && keys.iter().all(|(name, value)| {
                form.fields
                    .iter()
                    .any(|(n, v)| n == name && v.as_str() == *value)
            });
        if !matches {
            return Typed::default();
        }
        Typed {
            fields: Some(form.fields),
            invalid: field,
        }
    }

    /// A form without kept values (a file upload: files are never kept) whose field `name` the
    /// server refused, as the address says (`felt=`), when `refused` holds.
    pub fn refused_field(name: &str, refused: bool) -> Typed {
        let said = use_query_map_field();
        match (refused, said) {
            (true, Some(field)) if field == name => Typed {
                fields: Some(Vec::new()),
                invalid: Some(field),
            },
            _ => Typed::default(),
        }
    }

    /// Whether this form came back refused.
    pub fn is_kept(&self) -> bool {
        self.fields.is_some()
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .as_ref()?
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text of field `name`: what was typed, else `usual`.
    pub fn text(&self, name: &str, usual: impl Into<String>) -> String {
        match &self.fields {
            Some(_) => self.get(name).unwrap_or_default().to_owned(),
            None => usual.into(),
        }
    }

    /// Whether checkbox `name` is ticked: as it was posted, else `usual`.
    pub fn checked(&self, name: &str, usual: bool) -> bool {
        match &self.fields {
            Some(_) => self.get(name).is_some(),
            None => usual,
        }
    }

    /// Whether `value` is the chosen option of select `name`: as it was posted, else `usual`.
    pub fn selected(&self, name: &str, value: &str, usual: bool) -> bool {
        match &self.fields {
            Some(_) => self.get(name) == Some(value),
            None => usual,
        }
    }

    /// Whether field `name` is the one the server refused (`aria-invalid`).
    pub fn invalid(&self, name: &str) -> bool {
        self.fields.is_some() && self.invalid.as_deref() == Some(name)
    }

    /// `aria-invalid` for field `name`: `Some("true")` when refused, else no attribute.
    pub fn aria_invalid(&self, name: &str) -> Option<&'static str> {
        self.invalid(name).then_some("true")
    }

    /// `aria-describedby` for field `name`: its help text's id (if any) and, when refused, its
    /// error message's id.
    pub fn described_by(&self, name: &str, help: Option<&str>) -> Option<String> {
        let error = self.invalid(name).then(|| error_id(name));
        match (help, error) {
            (Some(help), Some(error)) => Some(format!("{help} {error}")),
            (Some(help), None) => Some(help.to_owned()),
            (None, error) => error,
        }
    }
}

/// The id of field `name`'s error message (the error summary links to it).
pub fn error_id(name: &str) -> String {
    format!("feil-{name}")
}

/// The error message under a refused field: why it was refused, in words.
#[component]
pub fn FieldError(typed: Typed, name: &'static str) -> impl IntoView {
    typed.invalid(name).then(|| {
        let why = crate::components::feedback::field_why(name)
            .or_else(|| crate::components::feedback::field_label(name))
            .unwrap_or_default();
        view! {
            <p class="ds-validation-message" data-color="danger" id=error_id(name)>{why}</p>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(fields: &[(&str, &str)], invalid: Option<&str>) -> Typed {
        Typed {
            fields: Some(
                fields
                    .iter()
                    .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                    .collect(),
            ),
            invalid: invalid.map(str::to_owned),
        }
    }

    #[test]
    fn a_kept_form_shows_what_was_typed_and_marks_the_refused_field() {
        let typed = kept(
            &[("name", "Kari"), ("gender", "female"), ("interpreter", "1")],
            Some("birth_year"),
        );
        assert_eq!(typed.text("name", "x"), "Kari");
        assert_eq!(
            typed.text("birth_year", "1990"),
            "",
            "typed empty stays empty"
        );
        assert!(typed.selected("gender", "female", false));
        assert!(!typed.selected("gender", "male", true));
        assert!(typed.checked("interpreter", false));
        assert!(
            !typed.checked("secret_address", true),
            "unticked stays unticked"
        );
        assert!(typed.invalid("birth_year") && !typed.invalid("name"));
        assert_eq!(
            typed.described_by("birth_year", Some("help")).as_deref(),
            Some("help feil-birth_year")
        );
        assert_eq!(typed.described_by("name", None), None);
    }

    #[test]
    fn without_a_kept_form_every_field_shows_its_usual_value() {
        let typed = Typed::default();
        assert_eq!(typed.text("name", "x"), "x");
        assert!(typed.selected("gender", "male", true));
        assert!(typed.checked("interpreter", true));
        assert!(!typed.invalid("name"));
        assert_eq!(typed.aria_invalid("name"), None);
    }
}
