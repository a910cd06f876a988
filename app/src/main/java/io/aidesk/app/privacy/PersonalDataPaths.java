package io.aidesk.app.privacy;

import io.aidesk.api.privacy.PersonalData;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the {@link PersonalData} of a type lies in its JSON: record components (and fields of other classes) marked
 * so, found through nested records, lists and map values. Computed once per class.
 */
final class PersonalDataPaths {
    /** One step from a JSON node to its children. */
    sealed interface Step permits Member, Elements, Values {
    }

    /** The named member of an object. */
    record Member(String name) implements Step {
    }

    /** Every element of an array. */
    record Elements() implements Step {
    }

    /** Every value of an object used as a map. */
    record Values() implements Step {
    }

    private static final String OWN_TYPES = "io.aidesk.";
    private static final ClassValue<List<List<Step>>> PATHS = new ClassValue<>() {
        @Override
        protected List<List<Step>> computeValue(Class<?> type) {
            return List.copyOf(paths(type, new HashSet<>()));
        }
    };

    private PersonalDataPaths() {
    }

    /** @return the paths of the type's personal data, empty when it has none */
    static List<List<Step>> of(Class<?> type) {
        return PATHS.get(type);
    }

    private static List<List<Step>> paths(Type type, Set<Class<?>> visiting) {
        Class<?> raw = raw(type);
        if (raw == null || raw.isPrimitive() || raw.isEnum()) {
            return List.of();
        }
        if (raw.isArray()) {
            Type element = type instanceof GenericArrayType array ? array.getGenericComponentType() : raw.getComponentType();
            return prefixed(new Elements(), paths(element, visiting));
        }
        if (Collection.class.isAssignableFrom(raw) || Optional.class.equals(raw)) {
            List<List<Step>> inner = paths(argument(type, 0), visiting);
            return Optional.class.equals(raw) ? inner : prefixed(new Elements(), inner);
        }
        if (Map.class.isAssignableFrom(raw)) {
            return prefixed(new Values(), paths(argument(type, 1), visiting));
        }
        if (!raw.getName().startsWith(OWN_TYPES)) {
            return List.of(); // only AI Desk's own types say what is personal
        }
        if (!visiting.add(raw)) {
            return List.of(); // a type that contains itself: its inner levels are walked once
        }
        try {
            List<List<Step>> found = new ArrayList<>();
            if (raw.isRecord()) {
                for (RecordComponent component : raw.getRecordComponents()) {
                    member(component.getName(), component.isAnnotationPresent(PersonalData.class),
                            component.getGenericType(), visiting, found);
                }
            } else {
                for (Class<?> level = raw; level != null && level != Object.class; level = level.getSuperclass()) {
                    for (Field field : level.getDeclaredFields()) {
                        if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isTransient(field.getModifiers())) {
                            member(field.getName(), field.isAnnotationPresent(PersonalData.class), field.getGenericType(),
                                    visiting, found);
                        }
                    }
                }
            }
            return found;
        } finally {
            visiting.remove(raw);
        }
    }

    private static void member(String name, boolean personal, Type type, Set<Class<?>> visiting,
                               List<List<Step>> found) {
        if (personal) {
            found.add(List.of(new Member(name))); // sealed whole: what is inside goes with it
        } else {
            found.addAll(prefixed(new Member(name), paths(type, visiting)));
        }
    }

    private static List<List<Step>> prefixed(Step step, List<List<Step>> paths) {
        List<List<Step>> result = new ArrayList<>(paths.size());
        for (List<Step> path : paths) {
            List<Step> longer = new ArrayList<>(path.size() + 1);
            longer.add(step);
            longer.addAll(path);
            result.add(List.copyOf(longer));
        }
        return result;
    }

    private static Type argument(Type type, int index) {
        if (type instanceof ParameterizedType parameterized && parameterized.getActualTypeArguments().length > index) {
            Type argument = parameterized.getActualTypeArguments()[index];
            if (argument instanceof WildcardType wildcard) {
                return wildcard.getUpperBounds().length > 0 ? wildcard.getUpperBounds()[0] : Object.class;
            }
            return argument;
        }
        return Object.class;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> c) {
            return c;
        }
        if (type instanceof GenericArrayType array) {
            Class<?> component = raw(array.getGenericComponentType());
            return component == null ? null : component.arrayType();
        }
        return null; // type variables and wildcards: nothing known to look into
    }
}
