// title: Uphold rates by drug ingredient
// description: Decisions involving each generic ingredient ("every decision involving hydrocodone"
//   is one hop), with the uphold rate and the drug classes they were requested as.
// :param min_decisions => 1
// :param first => 25
// param first: integer >= 0
// columns: ingredient:string, drugbank_id:string, decisions:int64, upheld:int64, uphold_rate:float64, classes:list<string>,
//   uphold_rate_low:float64, uphold_rate_high:float64
// chart: mark=bar x=uphold_rate y=ingredient
MATCH (d:Decision)-[:INVOLVES_INGREDIENT]->(i:Ingredient)
WITH i, count(DISTINCT d) AS decisions,
     count(DISTINCT CASE WHEN d.outcome = 'UPHELD' THEN d END) AS upheld,
     collect(DISTINCT d.treatment_class) AS classes
WHERE decisions >= $min_decisions
RETURN i.name AS ingredient, i.drugbank_id AS drugbank_id, decisions, upheld,
       round(toFloat(upheld) / decisions, 3) AS uphold_rate, classes,
       round((upheld + 1.959964^2 / 2
              - 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_low,
       round((upheld + 1.959964^2 / 2
              + 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_high
ORDER BY decisions DESC, ingredient
LIMIT toInteger($first)
