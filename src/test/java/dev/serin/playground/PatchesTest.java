package dev.serin.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PatchesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void mergePatchRemovesNullsAndReplacesArrays() throws Exception {
        JsonNode target = json("{'a': 1, 'b': {'c': 2, 'd': 3}, 'list': [1, 2]}");
        JsonNode patch = json("{'a': null, 'b': {'c': 5}, 'list': [9]}");
        assertEquals(json("{'b': {'c': 5, 'd': 3}, 'list': [9]}"), Patches.mergePatch(target, patch));
    }

    @Test
    void strategicPatchMergesContainersAndEnvByName() throws Exception {
        JsonNode target = json("""
                {'spec': {'replicas': 2, 'template': {'spec': {'containers': [
                  {'name': 'app', 'image': 'a:1', 'env': [{'name': 'A', 'value': '1'}, {'name': 'B', 'value': '2'}]},
                  {'name': 'sidecar', 'image': 's:1'}]}}}}""");
        // what kubectl apply sends after image a:2 and env B are changed/removed in the manifest
        JsonNode patch = json("""
                {'spec': {'replicas': 3, 'template': {'spec': {
                  '$setElementOrder/containers': [{'name': 'app'}, {'name': 'sidecar'}],
                  'containers': [{'$setElementOrder/env': [{'name': 'A'}], 'env': [{'$patch': 'delete', 'name': 'B'}],
                                  'image': 'a:2', 'name': 'app'}]}}}}""");
        assertEquals(json("""
                {'spec': {'replicas': 3, 'template': {'spec': {'containers': [
                  {'name': 'app', 'image': 'a:2', 'env': [{'name': 'A', 'value': '1'}]},
                  {'name': 'sidecar', 'image': 's:1'}]}}}}"""), Patches.strategicMergePatch(target, patch));
    }

    @Test
    void strategicPatchAddsNewElementsAndHonoursOrder() throws Exception {
        JsonNode target = json("{'containers': [{'name': 'a'}]}");
        JsonNode patch = json("{'$setElementOrder/containers': [{'name': 'b'}, {'name': 'a'}], 'containers': [{'name': 'b'}]}");
        assertEquals(json("{'containers': [{'name': 'b'}, {'name': 'a'}]}"), Patches.strategicMergePatch(target, patch));
    }

    @Test
    void strategicPatchReplacesListsWithoutMergeKeyAndMergesFinalizers() throws Exception {
        JsonNode target = json("{'metadata': {'finalizers': ['x']}, 'args': ['-a', '-b']}");
        JsonNode patch = json("{'metadata': {'finalizers': ['y']}, 'args': ['-c']}");
        assertEquals(json("{'metadata': {'finalizers': ['x', 'y']}, 'args': ['-c']}"),
                Patches.strategicMergePatch(target, patch));
    }

    @Test
    void strategicPatchDirectives() throws Exception {
        JsonNode target = json("{'strategy': {'type': 'RollingUpdate', 'rollingUpdate': {'maxSurge': 1}}, 'f': ['a', 'b'], 'o': {'k': 1}}");
        JsonNode patch = json("""
                {'strategy': {'$retainKeys': ['type'], 'type': 'Recreate'}, '$deleteFromPrimitiveList/f': ['a'],
                 'o': {'$patch': 'replace', 'n': 2}}""");
        assertEquals(json("{'strategy': {'type': 'Recreate'}, 'f': ['b'], 'o': {'n': 2}}"),
                Patches.strategicMergePatch(target, patch));
    }
}
