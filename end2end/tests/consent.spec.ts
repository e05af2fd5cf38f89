import { test, expect, type Browser, type Page } from "@playwright/test";
import { expectHydrated, expectNoAxeViolations, signInAs } from "./pages";

// Consent to share (krisesenterlova § 5): a plan made without consent shows NAV Alna its task
// without the name ("Venter på samtykke"); staff record NAV Alna's consent on the plan page
// (without JavaScript), and NAV Alna's inbox then names the resident. The pages involved have no
// axe-core violations, in Norwegian and English.

const RESIDENT = "Samtykke Playwright";

async function asUser(browser: Browser, local: string, javaScriptEnabled = false, lang = "nb"): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  await context.addCookies([{ name: "lang", value: lang, url: "http://127.0.0.1:3100" }]);
  const page = await context.newPage();
  await signInAs(page, local);
  return page;
}

test.describe.serial("consent to share", () => {
  let planUrl = "";

  test("a plan without consent shows NAV Alna its task, not the person", async ({ browser }) => {
    const staff = await asUser(browser, "krisesenter");
    await staff.goto("/planer/ny");
    const field = (label: string) => staff.getByLabel(label, { exact: true });
    await field("Navn eller avtalt alias").fill(RESIDENT);
    await field("Fødselsår").fill("1983");
    await field("Kjønn (til statistikk)").selectOption({ label: "Kvinne" });
    await field("Innflyttingsdato").fill(new Date().toISOString().slice(0, 10));
    await field("Hvordan beboeren kom").selectOption({ label: "Politiet" });
    await field("Tilhørighetsbydel").selectOption({ label: "Alna" });
    // Never pre-ticked: every service starts on "not asked yet".
    await expect(field("NAV-kontor").locator("option:checked")).toHaveText("Ikke spurt ennå");
    await staff.getByRole("button", { name: "Opprett plan" }).click();
    await expect(staff).toHaveURL(/\/planer\/\d+\?ok=opprettet$/);
    planUrl = new URL(staff.url()).pathname;
    const consent = staff.locator("table.consent");
    await expect(consent.locator("tr", { hasText: "NAV-kontor, Alna" })).toContainText("Ikke spurt ennå");
    await expect(consent.locator("tr", { hasText: "NAV-kontor, Alna" })).toContainText("Ser bare oppgavene");
    await staff.context().close();

    const nav = await asUser(browser, "nav.alna");
    await nav.goto("/oppgaver");
    await expect(nav.locator("main")).not.toContainText(RESIDENT);
    await expect(nav.locator("table.tasks tbody tr", { hasText: "Venter på samtykke" }).first()).toBeVisible();
    await nav.goto(planUrl);
    await expect(nav.getByRole("heading", { level: 1 })).toHaveText("Oppgaver som venter på samtykke");
    await expect(nav.locator("main")).not.toContainText(RESIDENT);
    await expect(nav.locator("main")).not.toContainText("1983");
    await expect(nav.locator("table.tasks")).toContainText("Plan for boligfremskaffelse");
    await nav.context().close();
  });

  test("staff record NAV Alna's consent, and NAV Alna's inbox names the resident", async ({ browser }) => {
    const staff = await asUser(browser, "krisesenter");
    await staff.goto(planUrl);
    await staff.getByText("Registrer svar om samtykke").click();
    const form = staff.locator("form", { has: staff.getByLabel("Svar", { exact: true }) });
    await expect(form.getByLabel("Tjeneste", { exact: true })).toHaveValue("");
    await expect(form.getByLabel("Svar", { exact: true })).toHaveValue("");
    // Withdrawing what was never given: refused, with why, the choices kept.
    await form.getByLabel("Tjeneste", { exact: true }).selectOption({ label: "NAV-kontor, Alna" });
    await form.getByLabel("Svar", { exact: true }).selectOption({ label: "Trukket tilbake" });
    await form.getByLabel("Hvordan", { exact: true }).selectOption({ label: "Muntlig" });
    await form.getByLabel("Dato for svaret", { exact: true }).fill(new Date().toISOString().slice(0, 10));
    await form.getByRole("button", { name: "Registrer svaret" }).click();
    await expect(staff.getByRole("alert")).toContainText("kan bare trekkes tilbake når det er gitt");
    const again = staff.locator("form", { has: staff.getByLabel("Svar", { exact: true }) });
    await expect(again.getByLabel("Tjeneste", { exact: true }).locator("option:checked")).toHaveText("NAV-kontor, Alna");
    await again.getByLabel("Svar", { exact: true }).selectOption({ label: "Gitt" });
    await again.getByRole("button", { name: "Registrer svaret" }).click();
    await expect(staff.getByRole("status")).toContainText("Svaret om samtykke er registrert.");
    const row = staff.locator("table.consent tr", { hasText: "NAV-kontor, Alna" });
    await expect(row).toContainText("Gitt (muntlig");
    await expect(row).toContainText("Ser opplysningene");
    await expect(staff.locator("ul.consent-history")).toContainText("registrert av Demo Krisesenteransatt");
    await staff.context().close();

    const nav = await asUser(browser, "nav.alna");
    await nav.goto("/oppgaver");
    await expect(nav.locator("table.tasks tbody tr", { hasText: RESIDENT })).toContainText("Plan for boligfremskaffelse");
    await nav.goto(planUrl);
    await expect(nav.getByRole("heading", { level: 1 })).toContainText(RESIDENT);
    await nav.context().close();
  });

  for (const lang of ["nb", "en"]) {
    test(`the consent section, a withheld plan and the insight have no axe-core violations (${lang})`, async ({ browser }) => {
      const staff = await asUser(browser, "krisesenter", true, lang);
      await staff.goto(planUrl);
      await expect(staff.locator("html")).toHaveAttribute("lang", lang);
      await expectHydrated(staff);
      await staff.getByText(lang === "nb" ? "Registrer svar om samtykke" : "Record a consent answer").click();
      await expectNoAxeViolations(staff);
      await staff.getByRole("link", { name: lang === "nb" ? /^Innsyn/ : /^Insight/ }).click();
      await expect(staff.getByRole("heading", { level: 1 })).toContainText(RESIDENT);
      await expect(staff.locator("table.insight-log")).toContainText("Demo NAV Alna");
      await expectHydrated(staff);
      await expectNoAxeViolations(staff);
      await staff.context().close();

      // The violence coordinator has no consent: the plan shows it its task, not the person.
      const vold = await asUser(browser, "vold.alna", true, lang);
      await vold.goto(planUrl);
      await expect(vold.locator("main")).not.toContainText(RESIDENT);
      await expectHydrated(vold);
      await expectNoAxeViolations(vold);
      await vold.context().close();
    });
  }
});
