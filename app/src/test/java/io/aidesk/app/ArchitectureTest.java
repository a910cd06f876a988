package io.aidesk.app;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.spring.stereotype.Aggregate;
import org.axonframework.spring.stereotype.Saga;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** DESIGN §1: arrows point one way. Each module's root package stands for the module. */
@AnalyzeClasses(packages = "io.aidesk", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreApiIsPlainJava = classes().that().resideInAPackage("io.aidesk.api..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.aidesk.api..",
                    "org.axonframework.modelling.command..")
            .because("core-api is the published language: no Spring, no I/O");

    @ArchTest
    static final ArchRule commandSideSeesOnlyCoreApi = noClasses().that().resideInAPackage("io.aidesk.command..")
            .should().dependOnClassesThat().resideInAnyPackage("io.aidesk.saga..", "io.aidesk.gateway..",
                    "io.aidesk.ingestion..", "io.aidesk.projections..", "io.aidesk.query..", "io.aidesk.app..",
                    "io.aidesk.seed..");

    @ArchTest
    static final ArchRule agentSagaSeesCoreApiAndGateway = noClasses().that().resideInAPackage("io.aidesk.saga..")
            .should().dependOnClassesThat().resideInAnyPackage("io.aidesk.command..", "io.aidesk.ingestion..",
                    "io.aidesk.projections..", "io.aidesk.query..", "io.aidesk.app..", "io.aidesk.seed..");

    @ArchTest
    static final ArchRule gatewaySeesOnlyCoreApi = noClasses().that().resideInAPackage("io.aidesk.gateway..")
            .should().dependOnClassesThat().resideInAnyPackage("io.aidesk.command..", "io.aidesk.saga..",
                    "io.aidesk.ingestion..", "io.aidesk.projections..", "io.aidesk.query..", "io.aidesk.app..",
                    "io.aidesk.seed..");

    @ArchTest
    static final ArchRule ingestionSeesCoreApiAndGateway = noClasses().that().resideInAPackage("io.aidesk.ingestion..")
            .should().dependOnClassesThat().resideInAnyPackage("io.aidesk.command..", "io.aidesk.saga..",
                    "io.aidesk.projections..", "io.aidesk.query..", "io.aidesk.app..", "io.aidesk.seed..");

    @ArchTest
    static final ArchRule projectionsSeeOnlyCoreApi = noClasses().that().resideInAPackage("io.aidesk.projections..")
            .should().dependOnClassesThat().resideInAnyPackage("io.aidesk.command..", "io.aidesk.saga..",
                    "io.aidesk.gateway..", "io.aidesk.ingestion..", "io.aidesk.query..", "io.aidesk.app..",
                    "io.aidesk.seed..")
            .because("projections never call a model");

    @ArchTest
    static final ArchRule querySideSeesCoreApiAndGateway = noClasses().that().resideInAPackage("io.aidesk.query..")
            .should().dependOnClassesThat().resideInAnyPackage("io.aidesk.command..", "io.aidesk.saga..",
                    "io.aidesk.ingestion..", "io.aidesk.projections..", "io.aidesk.app..", "io.aidesk.seed..");

    @ArchTest
    static final ArchRule seedSeesOnlyCoreApi = noClasses().that().resideInAPackage("io.aidesk.seed..")
            .should().dependOnClassesThat().resideInAnyPackage("io.aidesk.command..", "io.aidesk.saga..",
                    "io.aidesk.gateway..", "io.aidesk.ingestion..", "io.aidesk.projections..", "io.aidesk.query..",
                    "io.aidesk.app..");

    @ArchTest
    static final ArchRule querySideNeverSendsCommands = noClasses().that().resideInAPackage("io.aidesk.query..")
            .should().dependOnClassesThat().areAssignableTo(CommandGateway.class);

    @ArchTest
    static final ArchRule projectionsNeverSendCommands = noClasses().that().resideInAPackage("io.aidesk.projections..")
            .should().dependOnClassesThat().areAssignableTo(CommandGateway.class);

    @ArchTest
    static final ArchRule onlyTheGatewayTalksToOpenAi = noClasses().that().resideOutsideOfPackage("io.aidesk.gateway..")
            .should().dependOnClassesThat().resideInAPackage("com.openai..");

    @ArchTest
    static final ArchRule onlyIngestionParsesDocuments = noClasses().that().resideOutsideOfPackage("io.aidesk.ingestion..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jsoup..", "org.apache.pdfbox..", "org.apache.poi..");

    @ArchTest
    static final ArchRule aggregatesLiveInTheCommandSide = classes().that().areAnnotatedWith(Aggregate.class)
            .should().resideInAPackage("io.aidesk.command..");

    @ArchTest
    static final ArchRule sagasLiveInTheAgentSaga = classes().that().areAnnotatedWith(Saga.class)
            .should().resideInAPackage("io.aidesk.saga..").allowEmptyShould(true);

    @ArchTest
    static final ArchRule featuresHaveNoCycles = slices().matching("io.aidesk.(*)..").should().beFreeOfCycles();
}
