// title: Guideline sections cited together
// description: Pairs of guideline sections the IMR reviewer cites in the same decision.
// :param first => 20
// param first: integer >= 0
// columns: section_a:string, section_b:string, decisions:int64
MATCH (a:GuidelineSection)<-[:CITES {by: 'IMR_REVIEWER'}]-(d:Decision)-[:CITES {by: 'IMR_REVIEWER'}]->(b:GuidelineSection)
WHERE a.key < b.key
MATCH (a)-[:PART_OF]->(ga:Guideline), (b)-[:PART_OF]->(gb:Guideline)
RETURN ga.title + ': ' + a.name AS section_a, gb.title + ': ' + b.name AS section_b, count(DISTINCT d) AS decisions
ORDER BY decisions DESC, section_a, section_b
LIMIT toInteger($first)
