import * as pulumi from "@pulumi/pulumi";

// Placeholder program until the quickstart lands.
export const project = pulumi.getProject();
export const stack = pulumi.getStack();
