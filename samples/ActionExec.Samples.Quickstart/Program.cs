using ActionExec.Conditions;

Console.WriteLine(Condition.RequestMethod("/demo.v1.GreeterService/SayHello").Id);
