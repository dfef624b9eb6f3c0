(case-lambda)
