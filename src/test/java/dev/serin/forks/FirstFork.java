package dev.serin.forks;

import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * Every test class surefire would run by its default patterns, except those of {@link SecondFork} and
 * {@code RbacCoverageTest} (which runs after both, in the surefire execution {@code rbac-coverage}).
 *
 * <p>Why suites: with two forks surefire hands each JVM one class at a time, each in a JUnit launcher session of its
 * own, and Quarkus restarts its application for every session (quarkus#43979). One suite per JVM is one session, in
 * which Quarkus orders the classes by application and starts each once, as in a single JVM.
 */
@Suite
@SelectPackages("dev.serin")
@IncludeClassNamePatterns(FirstFork.SUREFIRE_DEFAULT)
@ExcludeClassNamePatterns({SecondFork.CLASSES, FirstFork.AFTER_BOTH})
public class FirstFork {
    /** Surefire's default includes: Test*, *Test, *Tests, *TestCase, and no nested class. */
    static final String SUREFIRE_DEFAULT = "^(.*\\.)?(Test[^.$]*|[^.$]*Test|[^.$]*Tests|[^.$]*TestCase)$";
    static final String AFTER_BOTH = "dev\\.serin\\.strict\\.rbac\\.RbacCoverageTest";
}
