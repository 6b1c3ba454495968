// title: UR versus IMR citation agreement
// description: How often the IMR reviewer cites the same guideline document as the claims administrator.
// :param family => null
// param family: MTUS | ACOEM | ODG | OTHER
// columns: agreement:string, decisions:int64, upheld:int64
// chart: mark=bar x=decisions y=agreement
MATCH (d:Decision)-[:CITES {by: 'IMR_REVIEWER'}]->(:GuidelineSection)-[:PART_OF]->(g:Guideline)
WHERE $family IS NULL OR g.family = $family
WITH d, collect(DISTINCT g.key) AS imr
OPTIONAL MATCH (d)-[:CITES {by: 'CLAIMS_ADMINISTRATOR'}]->(:GuidelineSection)-[:PART_OF]->(u:Guideline)
WITH d, imr, collect(DISTINCT u.key) AS ur
WITH CASE WHEN size(ur) = 0 THEN 'UR cited nothing'
          WHEN any(k IN imr WHERE k IN ur) THEN 'same document'
          ELSE 'different documents' END AS agreement, d
RETURN agreement, count(d) AS decisions, sum(CASE d.outcome WHEN 'UPHELD' THEN 1 ELSE 0 END) AS upheld
ORDER BY decisions DESC
