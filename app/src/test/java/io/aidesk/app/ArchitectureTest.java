package io.aidesk.app;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.spring.stereotype.Aggregate;
import org.axonframework.spring.stereotype.Saga;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** DESIGN §1: arrows point one way. Each module's root package stands for the module. */
@AnalyzeClasses(packages = "io.aidesk", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreApiIsPlainJava = classes().that().resideInAPackage("io.aidesk.api..")
            .should().onlyDependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                    "java..", "io.aidesk.api..", "org.axonframework.modelling.command..")
                    .or(com.tngtech.archunit.core.domain.properties.HasName.Predicates.name(
                            "org.axonframework.serialization.Revision")))
            .because("core-api is the published language: no Spring, no I/O (an event's @Revision is part of it)");

    /** The module table of DESIGN §1: which other modules each one may use (core-api is always allowed). */
    private static final List<String> MODULES = List.of("api", "command", "saga", "gateway", "ingestion",
            "webhooks", "projections", "query", "seed", "app");

    private static ArchRule module(String module, String... mayUse) {
        Set<String> allowed = new HashSet<>(List.of(mayUse));
        allowed.add("api");
        allowed.add(module);
        String[] forbidden = MODULES.stream().filter(m -> !allowed.contains(m)).map(m -> "io.aidesk." + m + "..")
                .toArray(String[]::new);
        return noClasses().that().resideInAPackage("io.aidesk." + module + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .as(module + " may use only " + String.join(", ", allowed));
    }

    @ArchTest
    static final ArchRule commandSide = module("command");
    @ArchTest
    static final ArchRule agentSaga = module("saga", "gateway");
    @ArchTest
    static final ArchRule aiGateway = module("gateway");
    @ArchTest
    static final ArchRule ingestion = module("ingestion", "gateway");
    @ArchTest
    static final ArchRule webhooks = module("webhooks", "ingestion");
    @ArchTest
    static final ArchRule projections = module("projections");
    @ArchTest
    static final ArchRule querySide = module("query", "gateway");
    @ArchTest
    static final ArchRule seed = module("seed");

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
