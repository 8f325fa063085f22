package dev.serin.strict.validation;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * The CEL environment of CRD validation rules, close to the one kube-apiserver 1.32 gives them: {@code self} and
 * {@code oldSelf}, the standard macros, the strings, sets and bindings extensions, optional types, numeric
 * comparisons across int and double, and the parts of Kubernetes' own libraries in {@link KubernetesListsLibrary}.
 * The compiler and runtime are thread-safe; programs are compiled once per rule.
 */
final class CelEnvironment {
    static final String SELF = "self";
    static final String OLD_SELF = "oldSelf";

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true)
            .build();

    // self is dynamic: the values come from JSON guided by the schema, so the checker needs no schema-derived types
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar(SELF, SimpleType.DYN)
            .addVar(OLD_SELF, SimpleType.DYN)
            .addLibraries(CelExtensions.strings(), CelExtensions.bindings(), CelExtensions.sets(OPTIONS),
                    CelExtensions.optional())
            .addFunctionDeclarations(KubernetesListsLibrary.declarations())
            .build();

    // the planner runtime evaluates several times faster than the legacy interpreter (standardCelRuntimeBuilder)
    private static final CelRuntime RUNTIME = CelRuntimeFactory.plannerRuntimeBuilder()
            .setOptions(OPTIONS)
            .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
            .addFunctionBindings(KubernetesListsLibrary.bindings())
            .build();

    private CelEnvironment() {
    }

    /** A compiled expression, and whether it reads oldSelf (a transition rule, run only when there is an old value). */
    record Compiled(CelRuntime.Program program, boolean readsOldSelf) {
    }

    /** The compiled expression, or IllegalArgumentException naming the expression and the checker's complaint. */
    static Compiled compile(String expression) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            boolean readsOldSelf = CelNavigableAst.fromAst(ast).getRoot().allNodes()
                    .anyMatch(node -> node.getKind() == CelExpr.ExprKind.Kind.IDENT
                            && OLD_SELF.equals(node.expr().ident().name()));
            return new Compiled(RUNTIME.createProgram(ast), readsOldSelf);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("CEL expression does not compile: " + expression + ": " + e.getMessage(), e);
        }
    }
}
