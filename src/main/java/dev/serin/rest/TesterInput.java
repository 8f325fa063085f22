package dev.serin.rest;

import dev.serin.api.v1alpha1.Rules;
import dev.serin.api.v1alpha1.Tester;
import dev.serin.rest.problem.ProblemException;
import java.util.List;
import java.util.regex.Pattern;

/** A testers list as the REST API accepts it: what the CRD would refuse, answered first with a clear 400. */
final class TesterInput {
    static final String SLUG = "invalid-testers";
    private static final Pattern HEADER_NAME = Pattern.compile(Rules.HEADER_NAME_PATTERN);
    private static final Pattern COOKIE_NAME = Pattern.compile(Rules.COOKIE_NAME_PATTERN);
    private static final Pattern COOKIE_VALUE = Pattern.compile(Rules.COOKIE_VALUE_PATTERN);

    private TesterInput() {
    }

    static List<Tester> checked(List<Tester> testers) {
        if (testers == null) {
            throw invalid("'testers' is required ([] removes them)");
        }
        if (testers.size() > Rules.MAX_TESTERS) {
            throw invalid("at most " + Rules.MAX_TESTERS + " testers, not " + testers.size());
        }
        for (int i = 0; i < testers.size(); i++) {
            Tester t = testers.get(i);
            String at = "testers[" + i + "]";
            if (t == null || (t.header == null) == (t.cookie == null)) {
                throw invalid(at + " must be either a header or a cookie match");
            }
            if (t.header != null && (t.header.name == null || !HEADER_NAME.matcher(t.header.name).matches()
                    || t.header.name.length() > 256)) {
                throw invalid(at + ".header.name must be a lowercase header name such as x-canary, not '"
                        + t.header.name + "'");
            }
            if (t.header != null && (t.header.value == null || t.header.value.isEmpty()
                    || t.header.value.length() > 1024)) {
                throw invalid(at + ".header.value must have 1 to 1024 characters");
            }
            if (t.cookie != null && (t.cookie.name == null || !COOKIE_NAME.matcher(t.cookie.name).matches()
                    || t.cookie.name.length() > 256)) {
                throw invalid(at + ".cookie.name must be a cookie name such as canary, not '" + t.cookie.name + "'");
            }
            if (t.cookie != null && (t.cookie.value == null || !COOKIE_VALUE.matcher(t.cookie.value).matches()
                    || t.cookie.value.length() > 1024)) {
                throw invalid(at + ".cookie.value must be a cookie value (no space, quote, comma, semicolon or"
                        + " backslash), not '" + t.cookie.value + "'");
            }
        }
        return testers;
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest(SLUG, "Invalid testers", detail);
    }
}
