import { test, expect } from "@playwright/test";
import { expectHydrated, expectNoAxeViolations, signInAs } from "./pages";

// The inbox for fifty tasks in both languages: each view the filters make (deadline, step,
// whose, sorting, the finished tasks) has no axe-core violations (WCAG 2.1 A and AA), and the
// filter form shows the view it came from.

const VIEWS = [
  "/oppgaver",
  "/oppgaver?frist=forfalt",
  "/oppgaver?frist=snart&steg=housing_plan",
  "/oppgaver?vis=mine&sorter=beboer",
  "/oppgaver?vis=ledige&sorter=steg",
  "/oppgaver?ferdige=1",
];

for (const lang of ["nb", "en"]) {
  test(`the inbox's filtered views have no axe-core violations (${lang})`, async ({ browser }) => {
    const context = await browser.newContext();
    await context.addCookies([{ name: "lang", value: lang, url: "http://127.0.0.1:3100" }]);
    const page = await context.newPage();
    await signInAs(page, "nav.alna");
    for (const view of VIEWS) {
      await page.goto(view);
      await expectHydrated(page);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expectNoAxeViolations(page);
    }
    // The filter form shows the view in the address.
    await page.goto("/oppgaver?frist=forfalt&steg=housing_plan");
    await expect(page.locator('select[name="frist"]')).toHaveValue("forfalt");
    await expect(page.locator('select[name="steg"]')).toHaveValue("housing_plan");
    await context.close();
  });
}
