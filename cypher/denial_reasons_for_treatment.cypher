// title: Why a treatment is denied
// description: Denial reasons of upheld decisions for a treatment, with an example sentence each.
// :param treatment => "Physical therapy"
MATCH (c:Case)-[:HAS_DECISION]->(d:Decision {outcome: 'UPHELD'})-[:FOR_TREATMENT]->(:Treatment {name: $treatment})
MATCH (d)-[r:DENIED_BECAUSE]->(x:DenialReason)
WITH x, count(DISTINCT d) AS decisions, collect(substring(c.text, r.span[0], r.span[1] - r.span[0]))[0] AS example
RETURN x.code AS reason, x.description AS description, decisions, example
ORDER BY decisions DESC, reason
