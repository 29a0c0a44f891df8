"""SCIM 2.0 service provider of identity (ADR 0038): /scim/v2/."""
