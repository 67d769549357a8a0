package io.sluice.console;

import io.sluice.testkit.SluiceTestResource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven through /usr/bin/chromedriver (never a downloaded browser or driver: Selenium
 * Manager cannot reach the internet here), with a fresh profile per browser. Where Chromium or its driver is missing
 * the browser tests are skipped, naming the install command, unless {@code SLUICE_BROWSER_TESTS=required} (CI): then
 * they fail.
 */
public final class Browser implements AutoCloseable {

    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final Path profile;
    private final String base;

    private Browser(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /** A browser on the console at {@code base} (the app under test), not signed in. */
    public static Browser open(URL base) {
        if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
            String message = "the browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install -y chromium chromium-driver";
            if ("required".equals(System.getenv("SLUICE_BROWSER_TESTS"))) {
                Assertions.fail(message + " (SLUICE_BROWSER_TESTS=required: not skipped)");
            }
            Assumptions.abort(message);
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("sluice-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile, "--window-size=1400,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 900));
        String root = base.toString().replaceAll("/+$", "");
        return new Browser(driver, profile, root);
    }

    /** Opens the console at {@code hash} (e.g. {@code #/links}). */
    Browser go(String hash) {
        driver.get(base + "/" + hash);
        return this;
    }

    /** Opens the console and signs in with the test kit's token; waits for the links page. */
    Browser signIn() {
        return signIn(SluiceTestResource.TOKEN);
    }

    /** Opens the console and signs in with {@code token} (an app of its own, as the cluster tests run); waits for the links page. */
    public Browser signIn(String token) {
        go("#/links");
        type(By.id("token"), token);
        click(By.id("sign-in-button"));
        find(By.cssSelector("#links tbody tr"));
        return this;
    }

    /** On a create or edit form: runs the precheck, waits until it enables Save, saves, waits for the link's details. */
    void precheckAndSave(String link) {
        click(By.id("precheck"));
        wait(d -> d.findElement(By.id("save")).isEnabled());
        click(By.id("save"));
        wait(d -> d.getCurrentUrl().endsWith("#/links/" + link));
    }

    WebElement find(By by) {
        return wait(ExpectedConditions.visibilityOfElementLocated(by));
    }

    <T> T wait(Function<? super WebDriver, T> condition) {
        return wait(WAIT, condition);
    }

    <T> T wait(Duration timeout, Function<? super WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class)
                .ignoring(NoSuchElementException.class).until(condition::apply);
    }

    /** Waits until the element's text satisfies the check (the page polls: it changes by itself). */
    public String waitForText(By by, java.util.function.Predicate<String> check) {
        return wait(d -> {
            String t = d.findElement(by).getText();
            return check.test(t) ? t : null;
        });
    }

    public void click(By by) {
        wait(ExpectedConditions.elementToBeClickable(by)).click();
    }

    void type(By by, String text) {
        WebElement e = find(by);
        e.clear();
        e.sendKeys(text);
    }

    void choose(By by, String value) {
        new Select(find(by)).selectByValue(value);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** A link's row on the links page. */
    static By row(String link) {
        return By.cssSelector("#links tr[data-link='" + link + "']");
    }

    /** The button of {@code action} ({@code pause}, {@code resume}, ...) in a link's row on the links page. */
    public static By action(String link, String action) {
        return By.cssSelector("#links tr[data-link='" + link + "'] button[data-action='" + action + "']");
    }

    /** A cell of a link's row on the links page ({@code state}, {@code in}, {@code out}, {@code dirty}, ...). */
    public static By cell(String link, String column) {
        return By.cssSelector("#links tr[data-link='" + link + "'] td[data-col='" + column + "']");
    }

    /** A count shown on the page (1,234) as a number. */
    static long count(String text) {
        String digits = text.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }

    /**
     * Saves a screenshot of the page, scrolled to {@code shown}, as console-{@code name}.png into the directory the build names with
     * {@code -Dconsole.screenshots=docs} (not a sluice.* property: those must all be Sluice's); a normal run saves none.
     */
    void screenshot(String name, By shown) {
        String dir = System.getProperty("console.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        script("arguments[0].scrollIntoView({block: 'start'})", find(shown));
        try {
            Files.write(Path.of(dir, "console-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary profile is harmless
            }
        }
    }
}
