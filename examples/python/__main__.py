"""An issuer, a client and its grant through the generated Python SDK (sdk-gen/python)."""

import pulumi
import pulumi_grants as grants

# `Issuer` is the SDK's name for the resource type grants:index:Provider (an OIDC issuer):
# `Provider` is the package provider, as in every Pulumi SDK.
issuer = grants.Issuer("issuer", name="python-issuer", description="Issues tokens for the Python example")
deployer = grants.Client(
    "deployer",
    provider_id=issuer.id,
    name="python-deployer",
    audience="https://orders.example.com",
)
deployer_grant = grants.ClientGrant(
    "deployerGrant",
    client_id=deployer.id,
    audience="https://orders.example.com",
    scopes=["write:orders", "read:orders"],
)

pulumi.export("issuerUrl", issuer.issuer)
pulumi.export("clientId", deployer.id)
pulumi.export("clientSecret", deployer.client_secret)
pulumi.export("grantId", deployer_grant.id)
pulumi.export("grantScopes", deployer_grant.scopes)
