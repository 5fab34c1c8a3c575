// A ready policy pack: every pulumi-grants rule at its default level. Run it with
//   pulumi preview --policy-pack path/to/policy-pack [--policy-pack-config config.json]
// To compose your own, import the rules you want from "pulumi-grants/policy".
import { PolicyPack } from "@pulumi/policy";
import { grantsPolicies } from "pulumi-grants/policy";

new PolicyPack("pulumi-grants", { policies: grantsPolicies });
