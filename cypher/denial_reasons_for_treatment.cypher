// title: Why a treatment is denied
// description: Denial reasons of upheld decisions for a treatment or a treatment class ("Physical
//   therapy", "Opioids"), with a sentence from a letter for each.
// :param treatment => "Physical therapy"
// columns: reason:string, description:string, decisions:int64, example:string
// chart: mark=bar x=decisions y=reason
MATCH (c:Case)-[:HAS_DECISION]->(d:Decision {outcome: 'UPHELD'})-[:FOR_TREATMENT]->(t:Treatment)
WHERE t.name = $treatment OR d.treatment_class = $treatment
MATCH (d)-[r:DENIED_BECAUSE]->(x:DenialReason)
WITH x, count(DISTINCT d) AS decisions, collect(substring(c.text, r.span[0], r.span[1] - r.span[0]))[0] AS example
RETURN x.code AS reason, x.description AS description, decisions, example
ORDER BY decisions DESC, reason
