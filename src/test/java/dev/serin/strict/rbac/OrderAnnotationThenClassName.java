package dev.serin.strict.rbac;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Order;

/**
 * Orders test classes by {@link Order} (unannotated classes count as {@link Order#DEFAULT}), then by class name,
 * as JUnit's ClassOrderer.ClassName does. So the classes keep the order Quarkus' default gives them, and a class
 * annotated {@code @Order(Integer.MAX_VALUE)} comes after all the others of its kind.
 *
 * <p>It is Quarkus' secondary orderer (src/test/resources/application.properties:
 * {@code junit.quarkus.orderer.secondary-orderer}). Quarkus' QuarkusTestProfileAwareClassOrderer first sorts by
 * this order, then groups: @QuarkusTest classes (prefix 20_), @QuarkusMainTest (30_), @QuarkusIntegrationTest (40_),
 * then plain JUnit classes (60_), Quarkus tests that share an application staying together.
 */
public class OrderAnnotationThenClassName implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparingInt(OrderAnnotationThenClassName::order)
                .thenComparing(d -> d.getTestClass().getName()));
    }

    private static int order(ClassDescriptor d) {
        return d.findAnnotation(Order.class).map(Order::value).orElse(Order.DEFAULT);
    }
}
