// Machine-to-machine access as code: OIDC issuers, OAuth clients and client grants.
package grants
