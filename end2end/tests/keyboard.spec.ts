import { test, expect, type Locator, type Page } from "@playwright/test";

// The working day with the keyboard only (WCAG 2.1.1): the crisis center signs in, takes a
// resident in, sets the planned move-out, opens the move-out form's disclosure and registers the
// move-out; NAV signs in and marks the housing plan done from its inbox. Every field is reached
// with Tab, every choice made by typing, every button and link pressed with Enter. No mouse, no
// `fill`, no `click`. Without JavaScript: the forms are plain HTML forms.

const RESIDENT = "Tastatur Testesen";

/** Presses Tab until `target` has the focus (it must be reachable in the tab order). */
async function tabTo(page: Page, target: Locator, max = 200) {
  await expect(target).toHaveCount(1);
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Tabs to a field and types into it (a date as the nb-NO date field takes it: ddmmyyyy). */
async function typeInto(page: Page, target: Locator, text: string) {
  await tabTo(page, target);
  await page.keyboard.type(text);
}

/** The date `days` from today (UTC, a day away from Oslo's midnight is enough) as ddmmyyyy. */
function typedDate(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(d.getUTCDate())}${pad(d.getUTCMonth() + 1)}${d.getUTCFullYear()}`;
}

async function signIn(page: Page, local: string) {
  await page.goto("/logg-inn");
  await typeInto(page, page.getByLabel("E-postadresse", { exact: true }), `${local}@demo.example.org`);
  await typeInto(page, page.getByLabel("Passord", { exact: true }), "demo-passord-2026");
  await tabTo(page, page.getByRole("button", { name: "Logg inn" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Logg ut" })).toBeVisible();
}

test("the whole journey with the keyboard only", async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "krisesenter");

  // To the intake through the menu and the plans page.
  const main = page.locator("main");
  await tabTo(page, page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Planer" }));
  await page.keyboard.press("Enter");
  await tabTo(page, main.getByRole("link", { name: "Ny plan (innflytting)" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/planer\/ny$/);

  const field = (label: string) => page.getByLabel(label, { exact: true });
  await typeInto(page, field("Navn eller avtalt alias"), RESIDENT);
  await typeInto(page, field("Fødselsår"), "1984");
  await typeInto(page, field("Kjønn (til statistikk)"), "Kvinne");
  await expect(field("Kjønn (til statistikk)")).toHaveValue("female");
  await typeInto(page, field("Innflyttingsdato"), typedDate(-3));
  await typeInto(page, field("Hvordan beboeren kom"), "Politiet");
  await expect(field("Hvordan beboeren kom")).toHaveValue("police");
  await typeInto(page, field("Tilhørighetsbydel"), "Alna");
  // The resident consents to share with NAV (the other services stay "not asked yet").
  await typeInto(page, field("NAV-kontor"), "Gitt");
  await expect(field("NAV-kontor")).toHaveValue("given");
  await typeInto(page, field("Hvordan (NAV-kontor)"), "Muntlig");
  await expect(field("Hvordan (NAV-kontor)")).toHaveValue("oral");
  await tabTo(page, page.getByRole("button", { name: "Opprett plan" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/planer\/\d+\?ok=opprettet$/);
  await expect(page.locator("#kvittering")).toBeFocused();
  const plan = new URL(page.url()).pathname;

  // The next step is the planned move-out: its form is the open one.
  await typeInto(page, field("Planlagt utflytting"), typedDate(30));
  await tabTo(page, page.locator("form", { has: field("Planlagt utflytting") }).getByRole("button", { name: "Lagre", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("Planens opplysninger er lagret.");

  // The move-out form is behind its disclosure: opened with Enter on its summary.
  await expect(field("Utflyttingsdato")).toBeHidden();
  await tabTo(page, page.getByText("Vis skjema: utflytting"));
  await page.keyboard.press("Enter");
  await typeInto(page, field("Utflyttingsdato"), typedDate(-1));
  await typeInto(page, field("Utflyttingsstatus"), "Ny bolig");
  await expect(field("Utflyttingsstatus")).toHaveValue("new_home");
  await typeInto(page, field("Hovedansvarlig tjeneste etter oppholdet"), "Voldskoordinator");
  await expect(field("Hovedansvarlig tjeneste etter oppholdet")).not.toHaveValue("");
  await typeInto(page, field("Hvorfor det ikke ble holdt avsluttende møte"), "Beboeren flyttet raskt.");
  await tabTo(page, page.getByRole("button", { name: "Registrer utflytting" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("Utflyttingen er registrert.");
  await expect(page.locator("section.plan-path li", { hasText: "Utflytting" }).first()).toContainText("Ferdig");

  await tabTo(page, page.getByRole("button", { name: "Logg ut" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Logg ut" })).toHaveCount(0);

  // NAV Alna marks the housing plan done, from its inbox.
  await signIn(page, "nav.alna");
  await tabTo(page, page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Oppgaver" }));
  await page.keyboard.press("Enter");
  const row = page.locator("table.tasks tbody tr", { hasText: RESIDENT }).filter({ hasText: "Plan for boligfremskaffelse" });
  await tabTo(page, row.getByRole("link", { name: "Plan for boligfremskaffelse" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Plan for boligfremskaffelse" })).toBeVisible();
  await tabTo(page, page.getByRole("button", { name: "Marker som utført" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("Oppgaven er oppdatert.");
  await expect(page.locator("dl.facts")).toContainText("Utført");
  expect(plan).toMatch(/^\/planer\/\d+$/);
  await context.close();
});
