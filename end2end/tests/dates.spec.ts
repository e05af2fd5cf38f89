import { test, expect } from "@playwright/test";
import { signInAs } from "./pages";

// Norwegian dates (issue 15, item 11): in the Norwegian UI no page shows a date as 2026-12-16;
// people read 16.12.2026 (and 16.12.2026 kl. 14:05). Form fields keep the ISO form a date
// field needs, and innerText leaves field values out.
const PAGES: Record<string, string[]> = {
  krisesenter: ["/", "/planer", "/oppgaver", "/avvik", "/konto", "/kontroll"],
  "nav.alna": ["/", "/oppgaver", "/oppgaver?ferdige=1", "/bydeler/alna/frister", "/internkontroll/alna", "/avvik"],
  kontrollor: ["/kontroll", "/kontroll/alna", "/avvik", "/internkontroll", "/internkontroll/alna", "/kontroll/alna/utskrift"],
  admin: ["/admin/rutiner", "/admin/logg", "/admin/utsendinger", "/admin/brukere"],
};

const ISO = /\b20\d\d-\d\d-\d\d\b/g;

for (const [user, paths] of Object.entries(PAGES)) {
  test(`${user}'s pages write dates the Norwegian way`, async ({ page }) => {
    await signInAs(page, user);
    const found: string[] = [];
    let norwegian = 0;
    const visit = async (path: string) => {
      await page.goto(path);
      const text = await page.locator("main").innerText();
      for (const m of text.match(ISO) ?? []) found.push(`${path}: ${m}`);
      norwegian += (text.match(/\b\d\d\.\d\d\.20\d\d\b/g) ?? []).length;
    };
    for (const path of paths) await visit(path);
    // A plan and a task, where most dates are.
    const link = user === "krisesenter" ? "main table a[href^='/planer/']" : "main table a[href^='/oppgaver/']";
    if (user === "krisesenter" || user === "nav.alna") {
      await page.goto(user === "krisesenter" ? "/planer" : "/oppgaver");
      const href = await page.locator(link).first().getAttribute("href");
      await visit(href!);
    }
    expect(found).toEqual([]);
    // The pages do show dates, as 16.12.2026.
    expect(norwegian).toBeGreaterThan(0);
  });
}
