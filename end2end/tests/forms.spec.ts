import { test, expect } from "@playwright/test";
import { expectHydrated, expectNoAxeViolations, signInAs } from "./pages";

// Forms that forgive: a refused intake comes back with everything typed, the refused field
// marked and linked to why, and the error summary focused; a confirmation names what was done
// and takes the focus. Without JavaScript and with it (the forms are plain HTML forms either way).

for (const javaScriptEnabled of [false, true]) {
  test(`a refused intake keeps every field and says why (${javaScriptEnabled ? "with" : "without"} JavaScript)`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await signInAs(page, "krisesenter");
    await page.goto("/planer/ny");
    const name = `Skjema Testesen ${javaScriptEnabled ? "Med" : "Uten"}`;
    const today = new Date().toISOString().slice(0, 10);
    const field = (label: string) => page.getByLabel(label, { exact: true });
    await field("Navn eller avtalt alias").fill(name);
    await field("Fødselsår").fill("1850");
    await field("Kjønn (til statistikk)").selectOption({ label: "Kvinne" });
    await field("Saksreferanse (valgfri)").fill("KS-SKJEMA");
    await field("Språk (hvis ikke norsk)").fill("somali");
    await field("Trenger tolk").check();
    await field("Innflyttingsdato").fill(today);
    await field("Hvordan beboeren kom").selectOption({ label: "Politiet" });
    await field("Barn i oppholdet: fødselsår").fill("2019, 2022");
    await field("Tilhørighetsbydel").selectOption({ label: "Alna" });
    // Consent starts on "not asked yet" for every service; NAV's is given in writing.
    for (const service of ["NAV-kontor", "Barneverntjeneste", "Voldskoordinator"]) {
      await expect(field(service)).toHaveValue("not_asked");
      await expect(field(`Hvordan (${service})`)).toHaveValue("");
    }
    await field("NAV-kontor").selectOption({ label: "Gitt" });
    await field("Hvordan (NAV-kontor)").selectOption({ label: "Skriftlig" });
    await page.getByRole("button", { name: "Opprett plan" }).click();

    await expect(page).toHaveURL(/\/planer\/ny\?feil=E-INVALID-INPUT&felt=birth_year$/);
    const summary = page.locator("#skjemafeil");
    await expect(summary).toBeFocused();
    await expect(summary).toContainText("Fødselsåret må være mellom 1900 og i år");
    await expect(summary).not.toContainText("E-INVALID-INPUT");
    await expect(field("Navn eller avtalt alias")).toHaveValue(name);
    await expect(field("Fødselsår")).toHaveValue("1850");
    await expect(field("Fødselsår")).toHaveAttribute("aria-invalid", "true");
    await expect(field("Fødselsår")).toHaveAccessibleDescription(/Fødselsåret må være mellom 1900 og i år/);
    await expect(field("Kjønn (til statistikk)")).toHaveValue("female");
    await expect(field("Saksreferanse (valgfri)")).toHaveValue("KS-SKJEMA");
    await expect(field("Språk (hvis ikke norsk)")).toHaveValue("somali");
    await expect(field("Trenger tolk")).toBeChecked();
    await expect(field("Har hemmelig adresse (adressen registreres aldri her)")).not.toBeChecked();
    await expect(field("Innflyttingsdato")).toHaveValue(today);
    await expect(field("Hvordan beboeren kom")).toHaveValue("police");
    await expect(field("Barn i oppholdet: fødselsår")).toHaveValue("2019, 2022");
    await expect(field("Tilhørighetsbydel").locator("option:checked")).toHaveText("Alna");
    await expect(field("NAV-kontor")).toHaveValue("given");
    await expect(field("Hvordan (NAV-kontor)")).toHaveValue("written");
    await expect(field("Barneverntjeneste")).toHaveValue("not_asked");
    if (javaScriptEnabled) {
      await expectHydrated(page);
      await expectNoAxeViolations(page);
    }

    // The summary's link leads to the field's message; corrected, the plan is created.
    await field("Fødselsår").fill("1986");
    await page.getByRole("button", { name: "Opprett plan" }).click();
    await expect(page).toHaveURL(/\/planer\/\d+\?ok=opprettet$/);
    const done = page.locator("#kvittering");
    await expect(done).toBeFocused();
    await expect(done).toContainText("Planen er opprettet.");

    // The same person again: caught, with a link to the open stay and a reason to give.
    const plan = new URL(page.url()).pathname;
    await page.goto("/planer/ny");
    await field("Navn eller avtalt alias").fill(name.toUpperCase());
    await field("Fødselsår").fill("1986");
    await field("Kjønn (til statistikk)").selectOption({ label: "Kvinne" });
    await field("Innflyttingsdato").fill(today);
    await field("Hvordan beboeren kom").selectOption({ label: "Politiet" });
    await field("Tilhørighetsbydel").selectOption({ label: "Alna" });
    await page.getByRole("button", { name: "Opprett plan" }).click();
    await expect(page).toHaveURL(/felt=duplicate$/);
    await expect(page.locator(`a[href="${plan}"]`)).toBeVisible();
    if (javaScriptEnabled) {
      await expectHydrated(page);
      await expectNoAxeViolations(page);
    }
    await page.locator(`a[href="${plan}"]`).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
    await context.close();
  });
}
