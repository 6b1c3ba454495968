// title: Top diagnoses per treatment
// description: For each treatment, the ICD-10-CM categories most often present in its cases.
// :param per_treatment => 3
// param per_treatment: integer >= 0
// columns: treatment:string, top:json
MATCH (c:Case)-[:HAS_DECISION]->(:Decision)-[:FOR_TREATMENT]->(t:Treatment)
MATCH (c)-[:HAS_DIAGNOSIS {status: 'stated'}]->(:Diagnosis)-[:IS_A*0..4]->(x:Diagnosis {level: 'category'})
WITH t.name AS treatment, x.code + ' ' + x.name AS diagnosis, count(DISTINCT c) AS cases
ORDER BY treatment, cases DESC, diagnosis
WITH treatment, collect({diagnosis: diagnosis, cases: cases})[..toInteger($per_treatment)] AS top
RETURN treatment, top
ORDER BY treatment
