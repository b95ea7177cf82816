package dev.drydock.api.apply;

import static dev.drydock.api.apply.FieldSetTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * The merge rules read from schemas, as structured-merge-diff applies them: lists by {@code x-kubernetes-list-type}
 * (or the strategic merge key), maps granular or atomic, values without a schema deduced.
 */
class TypedTest {

    static final Type DEPLOYMENT = Schemas.builtIn("apps", "v1", "Deployment");
    static final Type POD = Schemas.builtIn("", "v1", "Pod");

    static ObjectNode obj(String singleQuoted) {
        return (ObjectNode) json(singleQuoted);
    }

    @Test
    void theFieldsOfAnAppliedDeploymentAreThoseKubeRecords() {
        ObjectNode config = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'nginx',"
                + "'labels':{'app':'nginx'}},'spec':{'replicas':3,'selector':{'matchLabels':{'app':'nginx'}},"
                + "'template':{'metadata':{'labels':{'app':'nginx'}},'spec':{'containers':[{'name':'nginx',"
                + "'image':'nginx:1.27','ports':[{'containerPort':80}]}]}}}}");

        FieldSet set = Typed.toFieldSet(DEPLOYMENT, config);

        // kube: selector is an atomic map; containers a map-list keyed by name; ports keyed by containerPort and
        // protocol, whose default (TCP) stands in for the missing key
        assertThat(set.toFieldsV1()).isEqualTo(json("{'f:apiVersion':{},'f:kind':{},'f:metadata':{'f:labels':"
                + "{'f:app':{}},'f:name':{}},'f:spec':{'f:replicas':{},'f:selector':{},'f:template':{'f:metadata':"
                + "{'f:labels':{'f:app':{}}},'f:spec':{'f:containers':{'k:{\\'name\\':\\'nginx\\'}':{'.':{},"
                + "'f:image':{},'f:name':{},'f:ports':{'k:{\\'containerPort\\':80,\\'protocol\\':\\'TCP\\'}':"
                + "{'.':{},'f:containerPort':{}}}}}}}}}"));
    }

    @Test
    void anAssociativeListMergesItemByItemKeepingTheLiveOrder() {
        ObjectNode live = obj("{'spec':{'containers':[{'name':'a','image':'a:1'},{'name':'b','image':'b:1'}]}}");
        ObjectNode config = obj("{'spec':{'containers':[{'name':'c','image':'c:1'},{'name':'b','image':'b:2'}]}}");

        JsonNode merged = Typed.merge(POD, live, config);

        assertThat(merged).isEqualTo(json("{'spec':{'containers':[{'name':'a','image':'a:1'},{'name':'c',"
                + "'image':'c:1'},{'name':'b','image':'b:2'}]}}"));
    }

    @Test
    void anAtomicListAndAnAtomicMapAreReplacedWhole() {
        ObjectNode live = obj("{'spec':{'selector':{'matchLabels':{'a':'1'},'matchExpressions':[]},'template':"
                + "{'spec':{'containers':[{'name':'x','args':['1','2']}]}}}}");
        ObjectNode config = obj("{'spec':{'selector':{'matchLabels':{'b':'2'}},'template':{'spec':{'containers':"
                + "[{'name':'x','args':['3']}]}}}}");

        JsonNode merged = Typed.merge(DEPLOYMENT, live, config);

        assertThat(merged.at("/spec/selector")).isEqualTo(json("{'matchLabels':{'b':'2'}}"));
        assertThat(merged.at("/spec/template/spec/containers/0/args")).isEqualTo(json("['3']"));
    }

    @Test
    void aGranularMapAndASetMergeTheirEntries() {
        ObjectNode live = obj("{'metadata':{'labels':{'a':'1'},'finalizers':['x']}}");
        ObjectNode config = obj("{'metadata':{'labels':{'b':'2'},'finalizers':['y','x']}}");

        JsonNode merged = Typed.merge(POD, live, config);

        assertThat(merged).isEqualTo(json("{'metadata':{'labels':{'a':'1','b':'2'},'finalizers':['y','x']}}"));
    }

    @Test
    void aNullInTheConfigurationLeavesTheFieldUnset() {
        JsonNode merged = Typed.merge(DEPLOYMENT, obj("{'spec':{'replicas':3,'paused':true}}"),
                obj("{'spec':{'replicas':null}}"));

        assertThat(merged).isEqualTo(json("{'spec':{'paused':true}}"));
    }

    @Test
    void aComparisonNamesWhatWasAddedChangedAndRemoved() {
        ObjectNode before = obj("{'spec':{'replicas':1,'paused':true,'template':{'spec':{'containers':"
                + "[{'name':'a','image':'a:1'}]}}}}");
        ObjectNode after = obj("{'spec':{'replicas':2,'minReadySeconds':5,'template':{'spec':{'containers':"
                + "[{'name':'a','image':'a:1'},{'name':'b','image':'b:1'}]}}}}");

        Typed.Comparison c = Typed.compare(DEPLOYMENT, before, after, Typed.EVERYTHING);

        assertThat(c.modified().paths()).containsExactly(".spec.replicas");
        assertThat(c.removed().paths()).containsExactly(".spec.paused");
        assertThat(c.added().paths()).containsExactly(".spec.minReadySeconds",
                ".spec.template.spec.containers[name=\"b\"]", ".spec.template.spec.containers[name=\"b\"].image",
                ".spec.template.spec.containers[name=\"b\"].name");
    }

    @Test
    void aStructGoAlwaysHasIsNeverAddedButAPointerIs() {
        // what kube records for a create: `f:spec` without ".", `f:rollingUpdate` with it
        ObjectNode created = obj("{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}");

        Typed.Comparison c = Typed.compare(DEPLOYMENT, obj("{}"), created, Typed.EVERYTHING);

        assertThat(c.added().paths()).containsExactly(".spec.strategy.rollingUpdate",
                ".spec.strategy.type", ".spec.strategy.rollingUpdate.maxSurge");
    }

    @Test
    void theConfigurationIsCheckedAgainstTheSchemaWithKubesWords() {
        Typed.Errors unknown = new Typed.Errors();
        Typed.toFieldSetChecked(DEPLOYMENT, obj("{'spec':{'replicass':3}}"), unknown);
        assertThat(unknown.toString()).isEqualTo(".spec.replicass: field not declared in schema");

        Typed.Errors noKey = new Typed.Errors();
        Typed.toFieldSetChecked(Schemas.builtIn("", "v1", "ServiceAccount"), obj("{'secrets':[{'namespace':'x'}]}"),
                noKey);
        assertThat(noKey.toString()).isEqualTo(".secrets: element 0: associative list with keys has an "
                + "element that omits key field \"name\" (and doesn't have default value)");
        Typed.Errors defaulted = new Typed.Errors();
        assertThat(Typed.toFieldSetChecked(POD, obj("{'spec':{'containers':[{'image':'x'}]}}"), defaulted).paths())
                .as("a key field with a default (a container's name: \"\") takes it").contains(
                        ".spec.containers[name=\"\"]");
        assertThat(defaulted.any()).isFalse();

        Typed.Errors duplicate = new Typed.Errors();
        Typed.toFieldSetChecked(POD, obj("{'spec':{'containers':[{'name':'a'},{'name':'a'}]}}"), duplicate);
        assertThat(duplicate.toString()).isEqualTo(".spec.containers: duplicate entries for key [name=\"a\"]");
    }

    @Test
    void aKindWithoutSchemaIsDeducedMapsGranularListsAtomic() {
        Type deduced = Type.DEDUCED;
        ObjectNode live = obj("{'spec':{'a':1,'list':[1,2],'nested':{'x':1}}}");
        ObjectNode config = obj("{'spec':{'list':[3],'nested':{'y':2}}}");

        assertThat(Typed.merge(deduced, live, config)).isEqualTo(json("{'spec':{'a':1,'list':[3],"
                + "'nested':{'x':1,'y':2}}}"));
        assertThat(Typed.toFieldSet(deduced, config).paths()).containsExactly(".spec", ".spec.list", ".spec.nested",
                ".spec.nested.y");
    }

    @Test
    void aCustomResourceMergesByItsStructuralSchema() {
        Type crd = Schemas.custom(json("{'type':'object','properties':{'spec':{'type':'object','properties':{"
                + "'hosts':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['name'],"
                + "'items':{'type':'object','properties':{'name':{'type':'string'},'port':{'type':'integer'}}}},"
                + "'tags':{'type':'array','x-kubernetes-list-type':'set','items':{'type':'string'}},"
                + "'target':{'type':'object','x-kubernetes-map-type':'atomic','properties':{'a':{'type':'string'},"
                + "'b':{'type':'string'}}},'free':{'type':'object','x-kubernetes-preserve-unknown-fields':true},"
                + "'args':{'type':'array','items':{'type':'string'}}}}}}"));
        ObjectNode live = obj("{'spec':{'hosts':[{'name':'a','port':1}],'tags':['x'],'target':{'a':'1'},"
                + "'free':{'k':{'deep':1}},'args':['1']}}");
        ObjectNode config = obj("{'spec':{'hosts':[{'name':'b','port':2}],'tags':['y'],'target':{'b':'2'},"
                + "'free':{'k':{'other':2}},'args':['2']}}");

        assertThat(Typed.merge(crd, live, config)).isEqualTo(json("{'spec':{'hosts':[{'name':'a','port':1},"
                + "{'name':'b','port':2}],'tags':['x','y'],'target':{'b':'2'},'free':{'k':{'deep':1,'other':2}},"
                + "'args':['2']}}"));
        Typed.Errors errors = new Typed.Errors();
        Typed.toFieldSetChecked(crd, obj("{'metadata':{'name':'x','labels':{'a':'b'}},'spec':{'nope':1}}"),
                errors);
        assertThat(errors.toString()).isEqualTo(".spec.nope: field not declared in schema");
    }
}
