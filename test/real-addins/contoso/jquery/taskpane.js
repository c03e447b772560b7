/* global Office, $ */
Office.initialize = function () {
  $(document).ready(function () {
    var item = Office.context.mailbox.item;
    $("#jquery").text("jQuery " + $.fn.jquery);
    $("#subject").text(item.subject);
    $("#from").text(item.from.emailAddress);
    $.each(item.to, function (i, r) {
      $("<li>").addClass("recipient").text(r.emailAddress).appendTo("#recipients");
    });
    item.body.getAsync(Office.CoercionType.Text, function (result) {
      if (result.status === Office.AsyncResultStatus.Succeeded) $("#body").text(result.value.trim().slice(0, 20));
      else $("#body").text("error " + JSON.stringify(result.error));
    });
  });
};
