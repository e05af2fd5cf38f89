//! The plan page's correction of the person's name, birth year or gender (crisis center staff):
//! the form, with why, and every correction made, with the value before and after.

use crate::api::plans::CORRECT_PERSON;
use crate::components::dates::timestamp_label;
use crate::components::kept::{FieldError, Typed};
use crate::components::labels::gender_label;
use crate::domain::correction::{CorrectedField, Correction};
use crate::domain::limits;
use crate::domain::plan::{Gender, PlanDetail};
use crate::i18n::*;
use leptos::prelude::*;

fn field_text(field: CorrectedField) -> String {
    let i18n = use_i18n();
    match field {
        CorrectedField::Name => t_string!(i18n, field_resident_name),
        CorrectedField::BirthYear => t_string!(i18n, field_birth_year),
        CorrectedField::Gender => t_string!(i18n, field_gender),
    }
    .to_string()
}

/// A stored value in words (a gender by its label).
fn value_text(field: CorrectedField, value: &str) -> String {
    match (field, Gender::parse(value)) {
        (CorrectedField::Gender, Some(g)) => gender_label(g),
        _ => value.to_owned(),
    }
}

/// One correction in a sentence: "Fødselsår: 1990 → 1991 (why) · Name, 05.12.2026 kl. 10:00".
pub fn correction_text(c: &Correction) -> String {
    format!(
        "{}: {} → {} ({}) · {}, {}",
        field_text(c.field),
        value_text(c.field, &c.old_value),
        value_text(c.field, &c.new_value),
        c.reason,
        c.by,
        timestamp_label(&c.at)
    )
}

#[component]
pub fn PlanCorrection(plan: PlanDetail) -> impl IntoView {
    let i18n = use_i18n();
    let key = plan.stay.to_string();
    let t = Typed::of(&crate::routes::api(CORRECT_PERSON), &[("stay", &key)]);
    let gender = plan.gender;
    view! {
        <section class="print-hide" aria-labelledby="rett-person">
            <h2 class="ds-heading" data-size="md" id="rett-person">{t!(i18n, correct_title)}</h2>
            <details class="disclosure" open=t.is_kept()>
                <summary>{t!(i18n, correct_show)}</summary>
                <p class="ds-paragraph" id="correct-help">{t!(i18n, correct_help)}</p>
                <FieldError typed=t.clone() name="correction"/>
                <form class="form" method="post" action=crate::routes::api(CORRECT_PERSON) aria-describedby="correct-help">
                    <input type="hidden" name="stay" value=plan.stay.to_string()/>
                    <input type="hidden" name="version" value=plan.version.to_string()/>
                    <div class="ds-field">
                        <label class="ds-label" for="correct-name">{t!(i18n, field_resident_name)}</label>
                        <input class="ds-input" id="correct-name" name="correct_name" autocomplete="off" required maxlength=limits::NAME
                            value=t.text("correct_name", plan.name.clone()) aria-invalid=t.aria_invalid("correct_name") aria-describedby=t.described_by("correct_name", None)/>
                        <FieldError typed=t.clone() name="correct_name"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="correct-birth-year">{t!(i18n, field_birth_year)}</label>
                        <input class="ds-input" id="correct-birth-year" name="correct_birth_year" inputmode="numeric" pattern="[0-9]{4}" autocomplete="off" required
                            value=t.text("correct_birth_year", plan.birth_year.to_string()) aria-invalid=t.aria_invalid("correct_birth_year") aria-describedby=t.described_by("correct_birth_year", None)/>
                        <FieldError typed=t.clone() name="correct_birth_year"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="correct-gender">{t!(i18n, field_gender)}</label>
                        <select class="ds-input" id="correct-gender" name="correct_gender" required aria-invalid=t.aria_invalid("correct_gender") aria-describedby=t.described_by("correct_gender", None)>
                            {Gender::ALL.iter().map(|g| {
                                let is = t.selected("correct_gender", g.as_str(), gender == Some(*g));
                                view! { <option value=g.as_str() selected=is>{gender_label(*g)}</option> }
                            }).collect_view()}
                        </select>
                        <FieldError typed=t.clone() name="correct_gender"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="correct-reason">{t!(i18n, correct_reason)}</label>
                        <textarea class="ds-input" id="correct-reason" name="correct_reason" rows="2" required maxlength=limits::REASON
                            aria-invalid=t.aria_invalid("correct_reason") aria-describedby=t.described_by("correct_reason", None)>{t.text("correct_reason", "")}</textarea>
                        <FieldError typed=t.clone() name="correct_reason"/>
                    </div>
                    <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, correct_submit)}</button>
                </form>
            </details>
            {(!plan.corrections.is_empty()).then(|| view! {
                <h3 class="ds-heading" data-size="sm">{t!(i18n, correct_history)}</h3>
                <ul>
                    {plan.corrections.iter().map(|c| view! { <li>{correction_text(c)}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}
