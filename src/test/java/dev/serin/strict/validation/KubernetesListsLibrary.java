package dev.serin.strict.validation;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;

/**
 * Kubernetes CEL library functions from its lists library (k8s.io/apiserver/pkg/cel/library/lists.go) that cel-java
 * lacks: {@code isSorted()}, {@code sum()}, {@code min()}, {@code max()} on lists of numbers or strings.
 */
final class KubernetesListsLibrary {
    private KubernetesListsLibrary() {
    }

    static List<CelFunctionDecl> declarations() {
        TypeParamType t = TypeParamType.create("T");
        ListType listOfT = ListType.create(t);
        return List.of(
                // Kubernetes CEL library function: <list>.isSorted() -> bool
                CelFunctionDecl.newFunctionDeclaration("isSorted",
                        CelOverloadDecl.newMemberOverload("k8s_list_is_sorted", SimpleType.BOOL, listOfT)),
                // Kubernetes CEL library function: <list>.sum() -> element type (0 for an empty list)
                CelFunctionDecl.newFunctionDeclaration("sum",
                        CelOverloadDecl.newMemberOverload("k8s_list_sum", t, listOfT)),
                // Kubernetes CEL library function: <list>.min() -> element type (error on an empty list)
                CelFunctionDecl.newFunctionDeclaration("min",
                        CelOverloadDecl.newMemberOverload("k8s_list_min", t, listOfT)),
                // Kubernetes CEL library function: <list>.max() -> element type (error on an empty list)
                CelFunctionDecl.newFunctionDeclaration("max",
                        CelOverloadDecl.newMemberOverload("k8s_list_max", t, listOfT)));
    }

    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("k8s_list_is_sorted", List.class, KubernetesListsLibrary::isSorted),
                CelFunctionBinding.from("k8s_list_sum", List.class, KubernetesListsLibrary::sum),
                CelFunctionBinding.from("k8s_list_min", List.class, list -> extreme(list, -1, "min")),
                CelFunctionBinding.from("k8s_list_max", List.class, list -> extreme(list, 1, "max")));
    }

    static boolean isSorted(List<?> list) throws CelEvaluationException {
        for (int i = 1; i < list.size(); i++) {
            if (compare(list.get(i - 1), list.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    static Object sum(List<?> list) throws CelEvaluationException {
        if (list.stream().allMatch(Long.class::isInstance)) {
            long total = 0;
            for (Object o : list) {
                total = Math.addExact(total, (Long) o);
            }
            return total;
        }
        double total = 0;
        for (Object o : list) {
            if (!(o instanceof Number n)) {
                throw new CelEvaluationException("no such overload: sum on a list of " + o.getClass().getSimpleName());
            }
            total += n.doubleValue();
        }
        return total;
    }

    private static Object extreme(List<?> list, int sign, String name) throws CelEvaluationException {
        if (list.isEmpty()) {
            throw new CelEvaluationException(name + " called on empty list");
        }
        Object best = list.get(0);
        for (Object o : list) {
            if (compare(o, best) * sign > 0) {
                best = o;
            }
        }
        return best;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) throws CelEvaluationException {
        if (a instanceof Number x && b instanceof Number y) {
            return x instanceof Long && y instanceof Long ? Long.compare((Long) x, (Long) y)
                    : Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Comparable ca && b != null && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        throw new CelEvaluationException("no such overload: cannot compare " + describe(a) + " and " + describe(b));
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }
}
