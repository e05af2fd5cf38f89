import { test, expect } from "@playwright/test";
import { NewUserForm, SignInPage, signInAs } from "./pages";

// Each role signs in and sees only what the role may. Forms are used without JavaScript, as
// plain HTML forms (they work the same with it).
test.describe("roles", () => {
  test.use({ javaScriptEnabled: false });

  test("an administrator manages users; a new user must choose a password first", async ({ page, browser }) => {
    await signInAs(page, "admin");
    await page.goto("/");
    const nav = page.getByRole("navigation");
    await expect(nav.getByRole("link", { name: "Brukere" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Tilgangslogg" })).toBeVisible();

    const form = new NewUserForm(page);
    await form.goto();
    // A caseworker without a unit: the server sends the form back, saying which field.
    await form.create({ name: "Per Hansen", email: "per.hansen@example.org", role: "Saksbehandler", password: "midlertidig-passord-9" });
    await expect(page.getByRole("alert")).toContainText("Enhet: Saksbehandlere trenger en bydel og en tjeneste");
    await form.create({ name: "Per Hansen", email: "per.hansen@example.org", role: "Saksbehandler", district: "Grorud", service: "Barneverntjeneste", password: "midlertidig-passord-9" });
    await expect(page.getByRole("heading", { level: 1, name: "Per Hansen" })).toBeVisible();
    await expect(page.getByRole("status")).toContainText("Brukeren er opprettet.");

    // The directory: a new district, then a service in it.
    await page.goto("/bydeler");
    await page.getByText("Ny bydel").click();
    await page.getByLabel("Navn", { exact: true }).fill("Marka");
    await page.getByRole("button", { name: "Opprett", exact: true }).click();
    await expect(page).toHaveURL(/\/bydeler\/marka\?ok=bydel_opprettet$/);
    await expect(page.getByRole("heading", { level: 1, name: "Marka" })).toBeVisible();
    await page.getByText("Ny tjeneste i bydelen").click();
    await page.getByLabel("Tjeneste").selectOption({ label: "NAV-kontor" });
    await page.locator("#new-service-name").fill("NAV Marka");
    await page.getByRole("button", { name: "Opprett", exact: true }).click();
    await expect(page.getByRole("heading", { level: 3, name: "NAV Marka" })).toBeVisible();

    await page.goto("/admin/logg");
    await expect(page.locator("table.access-log")).toContainText("district.create");
    await expect(page.locator("table.access-log")).toContainText("user.create");
    await expect(page.locator("table.access-log")).toContainText("Demo Administrator");

    // The new user signs in with the temporary password and must change it before anything else.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const newcomer = await context.newPage();
    const signIn = new SignInPage(newcomer);
    await signIn.goto();
    await signIn.signIn("per.hansen@example.org", "midlertidig-passord-9");
    await expect(newcomer).toHaveURL(/\/konto\/passord$/);
    await newcomer.goto("/bydeler");
    await expect(newcomer).toHaveURL(/\/konto\/passord$/);
    await newcomer.getByLabel("Nåværende passord").fill("midlertidig-passord-9");
    await newcomer.getByLabel("Nytt passord", { exact: true }).fill("pers egen lange passfrase");
    await newcomer.getByLabel("Gjenta nytt passord").fill("pers egen lange passfrase");
    await newcomer.getByRole("button", { name: "Lagre nytt passord" }).click();
    await expect(newcomer).toHaveURL(/\/\?passord=endret$/);
    await newcomer.goto("/bydeler");
    await expect(newcomer.getByRole("heading", { level: 1 })).toHaveText("Bydeler");
    await context.close();
  });

  test("a caseworker edits the contacts of their own unit only, and sees no administration", async ({ page }) => {
    await signInAs(page, "nav.alna");
    await page.goto("/admin/brukere");
    await expect(page.getByRole("alert")).toContainText("Du har ikke tilgang");
    await expect(page.getByRole("navigation").getByRole("link", { name: "Brukere" })).toHaveCount(0);

    await page.goto("/bydeler/alna");
    const nav = page.locator("section.service", { hasText: "NAV Alna" });
    await nav.getByText("Legg til kontaktperson").click();
    const add = nav.locator("details.add-contact");
    await add.getByLabel("Navn", { exact: true }).fill("Sigrid Testdal");
    await add.getByLabel("E-postadresse").fill("sigrid.testdal@example.org");
    await expect(add.getByLabel("Rolle")).toHaveValue("");
    await add.getByLabel("Rolle").selectOption({ label: "Saksbehandler" });
    await add.getByRole("button", { name: "Legg til" }).click();
    await expect(page.getByRole("status")).toContainText("Kontaktpersonen er lagt til.");
    await expect(nav.getByRole("rowheader", { name: "Sigrid Testdal" })).toBeVisible();
    await nav.getByRole("button", { name: "Fjern Sigrid Testdal" }).click();
    await expect(nav.getByRole("rowheader", { name: "Sigrid Testdal" })).toHaveCount(0);

    // Only the own unit: not Alna's child welfare, nothing in Frogner.
    await expect(page.locator("section.service", { hasText: "Barneverntjenesten i bydel Alna" }).getByText("Legg til kontaktperson")).toHaveCount(0);
    await page.goto("/bydeler/frogner");
    await expect(page.getByText("Legg til kontaktperson")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Fjern / })).toHaveCount(0);
  });

  test("crisis center staff see every district's contacts but edit nothing", async ({ page }) => {
    await signInAs(page, "krisesenter");
    await page.goto("/bydeler/frogner");
    await expect(page.locator("table.contacts").first()).toBeVisible();
    await expect(page.getByText("Legg til kontaktperson")).toHaveCount(0);
    await page.goto("/admin/logg");
    await expect(page.getByRole("alert")).toContainText("Du har ikke tilgang");
  });

  test("the reviewer sees districts and services, but no contact people", async ({ page }) => {
    await signInAs(page, "kontrollor");
    await page.goto("/bydeler/alna");
    await expect(page.getByRole("heading", { level: 3, name: "NAV Alna" })).toBeVisible();
    await expect(page.locator("table.contacts")).toHaveCount(0);
  });
});
