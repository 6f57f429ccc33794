package dev.pgdeck.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dependencies point one way: model <- remote <- app. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // in a reactor build the remote module's test classes arrive as its -tests.jar
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.pgdeck");
    }

    @Test
    void modelDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.pgdeck.model..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.pgdeck.remote..", "dev.pgdeck.app..")
                .check(classes);
    }

    @Test
    void modelDoesNoIoAndNoUi() {
        noClasses().that().resideInAPackage("dev.pgdeck.model..")
                .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.net..",
                        "java.sql..", "javafx..")
                .check(classes);
    }

    @Test
    void remoteDoesNotKnowTheApp() {
        noClasses().that().resideInAPackage("dev.pgdeck.remote..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.pgdeck.app..", "javafx..")
                .check(classes);
    }

    @Test
    void remotePackagesHaveNoCycles() {
        // e.g. the host probe reads the drill log from remote.drill, not from remote.restore, which uses the probe
        slices().matching("dev.pgdeck.remote.(*)..").should().beFreeOfCycles().check(classes);
    }
}
